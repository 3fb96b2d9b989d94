"""Claims: the atomic evidence unit, one thing a source says about one issue, with its span."""
