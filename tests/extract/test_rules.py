"""Focused behaviours of the extraction rules, each on a sentence written for the test."""

import datetime as dt

import pytest

from accord.extract.contract import claim_key
from accord.extract.pipeline import extractor_for

PUB = dt.date(2025, 12, 28)  # a Sunday


def keys(text: str, published: dt.date | None = PUB) -> set[tuple[str, ...]]:
    return {claim_key(c) for c in extractor_for("ukraine-2025").extract(text, published)}


def test_holder_of_a_person_is_their_state() -> None:
    assert ("position", "ceasefire", "ru", "oppose") in keys("Putin rejected a 30-day ceasefire.")


def test_passive_by_phrase_gives_each_backer() -> None:
    found = keys("Moscow dismissed a truce backed by France, Germany and Britain.")
    assert {("position", "ceasefire", c, "support") for c in ("fr", "de", "gb")} <= found
    assert ("position", "ceasefire", "ru", "oppose") in found


def test_negation_turns_agreed_into_unresolved() -> None:
    found = keys("Zelenskiy said the two sides did not agree on the future of Donbas.")
    assert ("status", "territory", "ua", "unresolved") in found
    assert ("status", "territory", "ua", "agreed") not in found


def test_negated_rejection_is_not_a_claim() -> None:
    assert not {
        k for k in keys("The Kremlin has not rejected the prisoner swap.") if k[0] == "position"
    }


def test_hedge_lowers_confidence() -> None:
    ex = extractor_for("ukraine-2025")
    plain = ex.extract("Kyiv rejected the army cap.", PUB)[0]
    hedged = ex.extract("Kyiv could reportedly reject the army cap.", PUB)[0]
    assert hedged.hedged and hedged.confidence < plain.confidence


def test_percentage_gives_near_agreement_with_progress_pct() -> None:
    claims = extractor_for("ukraine-2025").extract("Witkoff said the deal was 90% agreed.", PUB)
    status = next(c for c in claims if c.kind == "status")
    assert (status.issue, status.holder, status.status, status.progress_pct) == (
        "peace-deal",
        "us",
        "near_agreement",
        90,
    )


def test_scheduled_event_with_relative_date() -> None:
    claims = extractor_for("ukraine-2025").extract(
        "Rubio will meet Lavrov in Istanbul next Friday, the State Department said.", PUB
    )
    event = next(c for c in claims if c.kind == "event")
    assert event.participants == ["ru", "us"]
    assert event.place == "Istanbul"
    assert event.date == "2026-01-02" and event.date_precision == "day"


def test_issue_carries_over_within_a_paragraph() -> None:
    found = keys(
        "Zelenskiy discussed the nuclear plant with Grossi. Grossi said progress was made."
    )
    assert ("status", "znpp", "iaea", "progress") in found


def test_plan_owner_turns_listed_issues_into_proposals() -> None:
    found = keys("The US plan caps Ukraine's army at 600,000 and bars NATO membership.")
    assert ("proposal", "armed-forces", "us", "propose") in found
    assert ("proposal", "nato-membership", "us", "propose") in found


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "The weather in Kyiv was cold.",
        "Переговори в Женеві тривали.",
        "&amp; &lt;b&gt; Moscow &#8212; talks",
    ],
)
def test_texts_without_claims_give_no_claims(text: str) -> None:
    assert extractor_for("ukraine-2025").extract(text, None) == []


def test_a_claim_beside_text_without_claims_is_the_only_claim() -> None:
    """The empty results above are not a broken extractor: the same text with one claim gives it."""
    text = "The weather in Kyiv was cold. Russia rejected the European counter-proposal."
    assert keys(text) == {("position", "peace-deal", "ru", "oppose")}


def test_spans_point_into_the_text() -> None:
    text = (
        "Kyiv rejected the plan.\n\nMoscow insists on Donbas. Витягнуто. "
        "Brussels backed Kyiv's EU bid."
    )
    for claim in extractor_for("ukraine-2025").extract(text, PUB):
        assert text[claim.span[0] : claim.span[1]] == claim.quote


def test_one_megabyte_sentence_without_punctuation() -> None:
    words = ["Kyiv", "rejected", "the", "plan", "while", "Moscow", "demanded", "Donbas", "and"]
    text = " ".join(words[i % len(words)] for i in range(120_000))
    assert len(text) > 500_000
    claims = extractor_for("ukraine-2025").extract(text, PUB)
    assert claims
    assert all(0 <= c.span[0] < c.span[1] <= len(text) for c in claims)


def test_country_named_as_venue_is_not_a_participant() -> None:
    found = keys("US and Ukrainian officials will meet in Switzerland on Tuesday.")
    assert ("event", "meeting", "ua", "us") in found
    assert not any(k[0] == "event" and "ch" in k for k in found)


def test_contracted_is_is_not_a_possessive() -> None:
    found = keys('"There\'s no deal yet," Trump said.')
    assert ("status", "peace-deal", "us", "unresolved") in found


def test_agreement_between_two_parties_is_an_agreed_status() -> None:
    found = keys("Russia and Ukraine agreed to swap 500 prisoners of war each.")
    assert {("status", "prisoner-exchange", c, "agreed") for c in ("ru", "ua")} <= found
    assert not {k for k in found if k[0] == "position"}


def test_agreement_reported_by_a_speaker_is_their_assessment() -> None:
    found = keys(
        "Russia and Ukraine have agreed to repairs at the nuclear plant so that power "
        "can be restored, IAEA Director General Rafael Grossi said on Tuesday."
    )
    assert ("status", "znpp", "iaea", "agreed") in found
    assert not {k for k in found if k[2] in ("ru", "ua")}


def test_one_party_agreeing_is_still_a_position() -> None:
    found = keys("Putin agreed to a pause in strikes on Kyiv.")
    assert ("position", "ceasefire", "ru", "support") in found


def test_agreement_on_an_untracked_matter_gives_no_claim() -> None:
    text = "Kyiv rejected the plan.\nWashington and Moscow agreed to restore military dialogue."
    assert not {k for k in keys(text) if k[0] == "status"}


def test_carried_topic_is_what_the_last_claims_were_about() -> None:
    text = (
        "Putin said Russia was ready to contribute $1 billion to the board from Russian assets.\n"
        "Hungary has accepted an invitation to join."
    )
    found = keys(text)
    assert ("position", "peace-council", "hu", "support") in found
    assert not {k for k in found if k[1] == "reconstruction"}


def test_only_coordinated_objects_split_a_stance() -> None:
    both = keys("Moscow demanded Ukraine's withdrawal from Donbas and its neutrality.")
    assert {("position", i, "ru", "demand") for i in ("territory", "nato-membership")} <= both
    one = keys("Moscow proposed a truce around the nuclear plant.")
    assert ("proposal", "ceasefire", "ru", "propose") in one
    assert ("proposal", "znpp", "ru", "propose") not in one


def test_negated_recognition_is_opposition() -> None:
    found = keys("Kyiv says it will never recognise occupied areas as Russian.")
    assert ("position", "territory", "ua", "oppose") in found


def test_participle_describing_an_issue_noun_is_not_a_stance() -> None:
    found = keys(
        "Driscoll held talks with Russian officials, a US official said, the first contact "
        "on the framework agreed with Kyiv in Geneva."
    )
    assert not {k for k in found if k[0] in ("status", "position")}
    found = keys("Under the draft, the area would become a buffer zone recognised as Russian.")
    assert not {k for k in found if k[0] == "position"}
    found = keys("The US plan proposed putting frozen assets into a rebuilding fund.")
    assert ("proposal", "reconstruction", "us", "propose") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Trump said the sides were "pretty close" to a deal.',
            ("peace-deal", "us", "near_agreement"),
        ),
        ("Both Kyiv and Moscow confirmed the swap.", ("prisoner-exchange", "ru", "agreed")),
        ("Russia and Ukraine exchanged 200 prisoners each.", ("prisoner-exchange", "ua", "agreed")),
        ("Zelenskiy said EU membership was being held up.", ("eu-membership", "ua", "stalled")),
        (
            "Grossi called the repair an important step for nuclear safety.",
            ("znpp", "iaea", "progress"),
        ),
    ],
)
def test_status_cues(text: str, expected: tuple[str, str, str]) -> None:
    assert ("status", *expected) in keys(text)


def test_difficult_moment_is_not_an_unresolved_issue() -> None:
    found = keys("Zelenskiy said Ukraine faced one of the most difficult moments in the talks.")
    assert not {k for k in found if k[0] == "status"}


def test_a_call_for_something_is_not_a_phone_call() -> None:
    found = keys("Kyiv demanded a 30-day truce, a call backed by Washington and Brussels.")
    assert not {k for k in found if k[0] == "event"}


def test_meetings_and_briefings_are_events() -> None:
    assert ("event", "meeting", "ru", "us") in keys(
        "Dmitriev will travel to Miami for meetings with members of Trump's team."
    )
    assert ("event", "meeting", "ua", "us") in keys(
        "Witkoff is due to brief Ukrainian negotiators in Miami on Thursday."
    )


def test_holiday_named_independence_is_not_sovereignty() -> None:
    found = keys("Zelenskiy said on Independence Day that 146 prisoners were back home.")
    assert ("status", "prisoner-exchange", "ua", "agreed") in found
    assert not {k for k in found if k[1] == "sovereignty"}


def test_pronoun_refers_to_the_subject_not_a_possessor() -> None:
    text = (
        "Putin questioned Zelenskiy's legitimacy. "
        'He called European plans to tap frozen Russian assets "robbery".'
    )
    assert ("position", "reconstruction", "ru", "oppose") in keys(text)


def test_conditions_name_the_demands_that_follow() -> None:
    found = keys(
        "Putin said Moscow was ready to end the conflict, but only on the basis of the "
        "conditions he set out, including Ukraine's withdrawal from Donbas and its neutrality."
    )
    assert {("position", i, "ru", "demand") for i in ("territory", "nato-membership")} <= found
    assert ("position", "peace-deal", "ru", "support") in found
    assert ("position", "territory", "ru", "support") not in found


def test_the_plan_points_back_to_the_last_specific_proposal() -> None:
    found = keys("Von der Leyen proposed a reparations loan.\nMerz has backed the plan.")
    assert ("position", "reconstruction", "de", "support") in found
    assert ("position", "peace-deal", "de", "support") not in found


def test_topic_of_a_sentence_without_claims_is_its_first_issue() -> None:
    text = (
        "Macron said the first guarantee would be a Ukrainian army with no limits. "
        "The form of US backing would be finalised in the coming days, he added."
    )
    assert ("status", "security-guarantees", "fr", "progress") in keys(text)


def test_plan_owner_named_before_the_noun_beats_a_bare_by() -> None:
    found = keys("Ushakov said the amendments made to the US plan by Ukraine were useless.")
    assert not {k for k in found if k[0] == "proposal" and k[2] == "ua"}
    found = keys("A European counter-proposal drafted by Britain would allow a peacetime army.")
    assert ("proposal", "armed-forces", "gb", "propose") in found


def test_plan_description_stops_at_another_speech_clause() -> None:
    found = keys(
        "Putin accused Europe of trying to sabotage the US initiative and said Russia "
        "would take Donbas by force."
    )
    assert ("proposal", "territory", "us", "propose") not in found


def test_share_of_the_issues_is_about_the_whole_deal() -> None:
    text = (
        "US offers Article 5-like guarantees\n"
        "American officials said about 90% of the issues had been resolved."
    )
    found = keys(text)
    assert ("status", "peace-deal", "us", "near_agreement") in found
    assert ("status", "security-guarantees", "us", "near_agreement") not in found


def test_nouns_after_of_or_favourable_are_not_stances() -> None:
    found = keys("Erdogan said Turkey would provide every kind of support for the talks.")
    assert ("position", "peace-deal", "tr", "support") not in found
    found = keys("Putin agreed to a pause in strikes to create favourable conditions for talks.")
    assert ("position", "ceasefire", "ru", "demand") not in found


def test_group_noun_between_coordinated_actors() -> None:
    assert ("event", "meeting", "ua", "us") in keys(
        "Two days of talks between US envoys and Zelenskiy ended on Monday."
    )


def test_adverb_inside_a_cue() -> None:
    found = keys("The Group of Seven could also consider new sanctions on the shadow fleet.")
    assert ("proposal", "sanctions", "g7", "propose") in found


def test_the_two_sides_before_any_event_are_the_actors_named_before() -> None:
    found = keys("Russia presented Ukraine with a memorandum, as the two sides met in Istanbul.")
    assert ("event", "meeting", "ru", "ua") in found
    found = keys("Umerov said the sides had agreed to exchange all wounded prisoners.")
    assert ("status", "prisoner-exchange", "ua", "agreed") in found
    assert ("position", "prisoner-exchange", "ua", "support") not in found


def test_agreeing_with_someone_is_not_an_agreement() -> None:
    found = keys("Peskov said Moscow agreed with Trump that a vote was needed.")
    assert ("position", "elections", "ru", "demand") in found
    assert not {k for k in found if k[0] == "status"}


def test_any_meeting_is_not_an_event() -> None:
    found = keys("Macron says any trilateral meeting should be followed by one with Europe.")
    assert not {k for k in found if k[0] == "event"}


def test_relative_clause_event_includes_its_antecedent() -> None:
    found = keys("Zelenskiy, who attended the Brussels summit in person, welcomed the sanctions.")
    assert ("event", "meeting", "eu", "ua") in found


def test_memorandum_is_a_plan_whose_contents_are_proposals() -> None:
    found = keys(
        "Russia presented a memorandum setting out its terms on Monday. The document calls for "
        "Ukraine to withdraw from Donbas and to give up its ambition to join NATO."
    )
    assert {("proposal", i, "ru", "propose") for i in ("territory", "nato-membership")} <= found


def test_refusing_to_discuss_is_opposition() -> None:
    found = keys(
        "Zakharova said Russia would not discuss any foreign military presence in Ukraine."
    )
    assert ("position", "security-guarantees", "ru", "oppose") in found


def test_participle_clause_takes_the_sentence_subject() -> None:
    found = keys(
        "Putin asked that Ukraine cede Donetsk, offering in return to freeze the front line."
    )
    assert ("proposal", "territory", "ru", "propose") in found
    assert ("proposal", "territory", "ua", "propose") not in found


def test_demonyms_sharing_a_group_noun_are_coordinated() -> None:
    found = keys(
        "Russian and Ukrainian delegations held talks in Istanbul, agreeing to swap "
        "1,000 prisoners of war each."
    )
    assert {("status", "prisoner-exchange", c, "agreed") for c in ("ru", "ua")} <= found


def test_would_sentences_after_a_plan_list_its_terms() -> None:
    text = (
        "Under the US draft, Ukraine would keep an army of 800,000. "
        "Elections would follow soon after signing.\n"
        "Kyiv said it would hold elections only after a ceasefire."
    )
    found = keys(text)
    assert ("proposal", "elections", "us", "propose") in found
    assert ("proposal", "elections", "ua", "propose") not in found


def test_land_as_a_domain_is_not_territory() -> None:
    found = keys(
        "France committed to deploy troops to Ukraine, or to be present on land or at sea."
    )
    assert ("position", "security-guarantees", "fr", "support") in found
    assert not {k for k in found if k[1] == "territory"}
    found = keys("Kushner said the question of land had yet to be settled.")
    assert ("status", "territory", "us", "unresolved") in found


def test_backing_direct_talks_is_support_for_the_peace_process() -> None:
    found = keys("Putin rejected a ceasefire. Ushakov says Moscow backed continuing direct talks.")
    assert ("position", "peace-deal", "ru", "support") in found


def test_actor_inside_a_relative_clause_does_not_act() -> None:
    found = keys("Zelenskiy, who attended the Brussels summit, welcomed the reparations loan.")
    assert ("position", "reconstruction", "ua", "support") in found
    assert ("position", "reconstruction", "eu", "support") not in found


def test_calls_reports_an_assessment() -> None:
    found = keys('Rutte calls US readiness to take part in the guarantees "a breakthrough".')
    assert ("status", "security-guarantees", "nato", "progress") in found


def test_condition_names_the_issue_after_it_and_makes_status_conditional() -> None:
    found = keys(
        "Witkoff said real progress toward any agreement depended on Russia showing "
        "commitment to peace, including steps toward de-escalation."
    )
    assert ("position", "ceasefire", "us", "demand") in found
    assert not {k for k in found if k[0] == "status"}
    assert ("position", "peace-deal", "us", "demand") not in found


def test_what_one_actor_wants_of_another_is_not_the_others_stance() -> None:
    found = keys("Washington pushes Kyiv to accept a peace plan seen as favouring Moscow.")
    assert not {k for k in found if k[0] == "position" and k[3] == "support"}
    assert ("position", "peace-deal", "ua", "support") in keys(
        "Ukraine to accept the plan, they say."
    )


def test_event_named_only_as_a_time_reference() -> None:
    found = keys("Before the meeting Putin accused European governments of obstruction.")
    assert not {k for k in found if k[0] == "event"}
    found = keys("Trump spoke on Sunday after meeting Zelenskiy at Mar-a-Lago.")
    assert ("event", "meeting", "ua", "us") in found


def test_nearly_agreed_is_near_agreement() -> None:
    found = keys("Zelenskiy said the guarantee documents were nearly ready to be signed.")
    assert ("status", "security-guarantees", "ua", "near_agreement") in found
    assert ("status", "security-guarantees", "ua", "agreed") not in found


def test_backing_an_actor_is_no_claim_on_the_carried_issue() -> None:
    text = "Russia demands Donetsk. Macron and Merz pledged to keep backing Kyiv."
    assert not {k for k in keys(text) if k[2] in ("fr", "de")}


def test_alternative_turned_down_is_opposed() -> None:
    found = keys("Peskov said Russia wanted a lasting peace rather than a truce.")
    assert ("position", "ceasefire", "ru", "oppose") in found
    assert ("position", "ceasefire", "ru", "demand") not in found


def test_verb_object_before_a_clause_does_not_hold_its_stance() -> None:
    found = keys(
        "The US plan would cap the Ukrainian army at 600,000, require Kyiv to renounce NATO "
        "membership and call for elections within 100 days."
    )
    assert not {k for k in found if k[0] == "position" and k[2] == "ua"}
    assert ("proposal", "elections", "us", "propose") in found


def test_degree_adverb_inside_an_agreed_cue_keeps_it_near() -> None:
    found = keys("Zelenskiy said the rest of the framework was largely agreed.")
    assert ("status", "peace-deal", "ua", "near_agreement") in found
    assert ("status", "peace-deal", "ua", "agreed") not in found


def test_agreeing_to_meet_is_an_event_not_an_agreement() -> None:
    found = keys("Trump and Putin agreed to hold another round of talks in Istanbul.")
    assert ("event", "meeting", "ru", "us") in found
    assert not {k for k in found if k[0] == "status"}


def test_states_inside_united_states_is_not_a_speech_verb() -> None:
    found = keys(
        "The nuclear plant is divisive. The United States proposed that it be run jointly."
    )
    assert ("proposal", "znpp", "us", "propose") in found


def test_owned_idea_for_something_proposes_it() -> None:
    found = keys("Zelenskiy described a US idea for a free economic zone in Donbas as complicated.")
    assert ("proposal", "territory", "us", "propose") in found


def test_topic_carried_across_chunks_does_not_point_into_the_new_chunk() -> None:
    line = "Putin rejected the ceasefire proposal from Kyiv again today.\n"
    last = "Moscow wanted it rather than more.\n"
    filler = line * (100_000 // len(line))
    assert len(filler) < 100_000 < len(filler) + len(last)  # the last line opens a new chunk
    claims = extractor_for("ukraine-2025").extract(filler + last + line, PUB)
    assert any(c.quote == last.strip() for c in claims)


def test_signing_up_is_support() -> None:
    text = "Trump invited leaders to join the Board of Peace. Hungary was the first to sign up."
    assert ("position", "peace-council", "hu", "support") in keys(text)


def test_relative_clause_cue_takes_the_issue_just_before_it() -> None:
    found = keys(
        "On territory, Zelenskiy named a US-proposed free economic zone in Donbas, which he "
        "said would have to be approved in a referendum."
    )
    assert ("position", "territory", "ua", "demand") in found
    assert ("position", "elections", "ua", "demand") not in found


def test_participle_aside_after_a_comma_is_not_a_status() -> None:
    found = keys(
        "Washington and Moscow agreed to restore military dialogue, suspended since 2021, "
        "according to US officials."
    )
    assert not {k for k in found if k[0] == "status" and k[3] == "stalled"}
    found = keys("The leaders of France and Germany, joined by NATO, proposed a reassurance force.")
    assert ("proposal", "security-guarantees", "fr", "propose") in found


def test_possessor_in_an_aside_does_not_act() -> None:
    found = keys("Orban, Putin's closest ally in the EU, has blocked accession talks with Ukraine.")
    assert ("position", "eu-membership", "hu", "oppose") in found
    assert ("position", "eu-membership", "ru", "oppose") not in found


def test_close_to_agreeing_is_near_agreement() -> None:
    found = keys("Officials said Kyiv and Washington are close to agreeing on security guarantees.")
    assert ("status", "security-guarantees", "us", "near_agreement") in found
    assert ("status", "security-guarantees", "us", "agreed") not in found
