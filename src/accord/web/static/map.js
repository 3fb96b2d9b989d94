/* The interactive map: Leaflet (vendored) drawing accord's own GeoJSON layers, no tiles.
 * Basemap layers come from /api/v1/map/layers, incidents from /api/v1/map/incidents (points, or
 * grid counts when the window holds many). Settlement labels are placed largest first and a label
 * that would overlap one already placed is left out. Data is put on the page as text, never HTML. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var style = JSON.parse(el.getAttribute("data-style"));
  var date = el.getAttribute("data-date");
  var days = el.getAttribute("data-days");
  var pack = el.getAttribute("data-pack") || "";
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.5, minZoom: 3, maxZoom: 14 });
  map.setView([48.4, 31.2], 6);
  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
  map.createPane("labels").style.zIndex = 590;
  map.createPane("incidents").style.zIndex = 620;

  var groups = {};
  ["oblasts", "occupied", "zones", "proposals", "line", "settlements", "incidents"].forEach(function (k) {
    groups[k] = L.layerGroup().addTo(map);
  });
  var oblastLabels = L.layerGroup().addTo(map);
  var placeLabels = L.layerGroup().addTo(map);
  var places = [];
  var oblastSpots = [];
  var proposalLayers = {};

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function label(latlng, name, cls, anchor) {
    var span = text("span", name);
    return L.marker(latlng, {
      icon: L.divIcon({ className: cls, html: span, iconSize: null, iconAnchor: anchor }),
      interactive: false, keyboard: false, pane: "labels"
    });
  }

  function fmt(n) { return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-GB"); }

  function showFigures(title, rows) {
    var box = document.getElementById("map-figures");
    box.textContent = "";
    box.appendChild(text("h2", "Figures"));
    box.appendChild(text("p", title, "figures-title"));
    var dl = document.createElement("dl");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") { return; }
      dl.appendChild(text("dt", r[0]));
      dl.appendChild(text("dd", String(r[1])));
    });
    box.appendChild(dl);
  }

  function figuresOnClick(layer, title, rows) {
    layer.on("click", function () { showFigures(title, rows); });
  }

  function drawBasemap(data) {
    var L0 = data.layers;
    L.geoJSON(L0.oblasts, {
      style: { color: style.oblast_edge, weight: 1, fillColor: style.land, fillOpacity: 1 },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        figuresOnClick(layer, p.name, [["area", fmt(p.area_km2) + " km²"]]);
        if (p.label) {
          label([p.label[1], p.label[0]], p.name, "oblast-label", [30, 8]).addTo(oblastLabels);
          oblastSpots.push({ ll: [p.label[1], p.label[0]], name: p.name });
        }
      }
    }).addTo(groups.oblasts);
    L.geoJSON(L0.occupied, {
      style: { color: style.occupied, weight: 1, fillColor: style.occupied, fillOpacity: style.occupied_opacity },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        figuresOnClick(layer, "Occupied area (" + p.name + ")", [
          ["snapshot of", p.valid_from], ["area", fmt(p.area_km2) + " km²"]]);
      }
    }).addTo(groups.occupied);
    L.geoJSON(L0.zones, {
      style: function (f) {
        var c = style.zones[f.properties.kind] || style.other_zone;
        return { color: c, weight: 2, dashArray: "6 4", fillColor: c, fillOpacity: 0.08 };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.options.className = "zone zone-" + p.id;
        figuresOnClick(layer, p.name, [["zone", p.id], ["kind", p.kind.replace(/_/g, " ")],
          ["area", fmt(p.area_km2) + " km²"]]);
      }
    }).addTo(groups.zones);
    var toggles = document.getElementById("proposal-toggles");
    L0.proposals.features.forEach(function (f, n) {
      var p = f.properties;
      var colour = style.proposals[n % style.proposals.length];
      var layer = L.geoJSON(f, {
        style: { color: colour, weight: 2, dashArray: n % 2 ? "2 4" : "8 4", fillColor: colour, fillOpacity: 0.12,
                 className: "proposal proposal-" + p.id }
      });
      figuresOnClick(layer, p.name, [["proposal", p.id], ["meaning", p.meaning.replace(/_/g, " ")],
        ["area", fmt(p.area_km2) + " km²"], ["resulting line", fmt(p.line_km) + " km"],
        ["settlements' population (pre-war)", fmt(p.population)],
        ["largest settlements", p.settlements.join(", ")]]);
      layer.addTo(groups.proposals);
      proposalLayers[p.id] = layer;
      var lab = document.createElement("label");
      lab.className = "proposal-toggle";
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = true; box.id = "proposal-" + p.id;
      box.addEventListener("change", function () {
        if (box.checked) { groups.proposals.addLayer(layer); } else { groups.proposals.removeLayer(layer); }
      });
      var sw = document.createElementNS(SVG, "svg");
      sw.setAttribute("width", "18"); sw.setAttribute("height", "12"); sw.setAttribute("aria-hidden", "true");
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", "18"); rect.setAttribute("height", "12"); rect.setAttribute("fill", colour);
      rect.setAttribute("fill-opacity", "0.35"); rect.setAttribute("stroke", colour);
      sw.appendChild(rect);
      lab.appendChild(box); lab.appendChild(document.createTextNode(" ")); lab.appendChild(sw);
      lab.appendChild(document.createTextNode(" " + p.name));
      toggles.appendChild(lab);
    });
    L.geoJSON(L0.line, {
      style: { color: style.line, weight: 3 },
      onEachFeature: function (f, layer) {
        figuresOnClick(layer, f.properties.name, [["length", fmt(f.properties.km) + " km"]]);
      }
    }).addTo(groups.line);
    places = L0.settlements.features.map(function (f) {
      var p = f.properties;
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      var r = Math.max(2, Math.min(7, Math.sqrt(p.population / 20000)));
      L.circleMarker(ll, { radius: r, color: "#1b2631", weight: 1, fillColor: "#ffffff", fillOpacity: 1 })
        .bindTooltip(p.name + " (" + fmt(p.population) + ", pre-war)").addTo(groups.settlements);
      return { ll: ll, name: p.name, population: p.population, r: r };
    }).sort(function (a, b) { return b.population - a.population; });
    var bounds = groups.oblasts.getLayers().length ? L.featureGroup(groups.oblasts.getLayers()).getBounds() : null;
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
    placeLabelsNow();
    el.setAttribute("data-basemap", "ready");
  }

  /* Labels largest first; a label whose box would overlap a placed one (or a label of an
   * oblast) is left out at this zoom. */
  function placeLabelsNow() {
    placeLabels.clearLayers();
    if (!map.hasLayer(groups.settlements)) { return; }
    var size = map.getSize();
    var placed = !map.hasLayer(oblastLabels) ? [] : oblastSpots.map(function (o) {
      var pt = map.latLngToContainerPoint(o.ll);
      return { x1: pt.x - 30, y1: pt.y - 8, x2: pt.x - 30 + o.name.length * 7.4 + 4, y2: pt.y + 8 };
    });
    var zoom = map.getZoom();
    var minPop = zoom >= 9 ? 0 : zoom >= 8 ? 20000 : zoom >= 7 ? 50000 : 100000;
    places.forEach(function (p) {
      if (p.population < minPop) { return; }
      var pt = map.latLngToContainerPoint(p.ll);
      if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) { return; }
      var major = p.population >= 500000;
      var w = p.name.length * (major ? 8 : 6.6) + 4;
      var h = major ? 16 : 14;
      var box = { x1: pt.x + p.r + 2, y1: pt.y - h / 2, x2: pt.x + p.r + 2 + w, y2: pt.y + h / 2 };
      for (var i = 0; i < placed.length; i++) {
        var o = placed[i];
        if (box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2) { return; }
      }
      placed.push(box);
      label(p.ll, p.name, "place-label" + (major ? " major" : ""), [-(p.r + 2), h / 2]).addTo(placeLabels);
    });
  }

  var pending = null;
  function loadIncidents() {
    if (!map.hasLayer(groups.incidents)) { return; }
    var b = map.getBounds().pad(0.25);  // a margin, so a short pan shows incidents at once
    var bbox = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()),
      Math.min(180, b.getEast()), Math.min(90, b.getNorth())].map(function (v) { return v.toFixed(3); }).join(",");
    var url = "/api/v1/map/incidents?date=" + encodeURIComponent(date) + "&days=" + encodeURIComponent(days) +
      "&zoom=" + Math.round(map.getZoom()) + "&bbox=" + bbox +
      (pack ? "&pack=" + encodeURIComponent(pack) : "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { credentials: "same-origin", signal: pending.signal })
      .then(function (r) { return r.json(); })
      .then(drawIncidents)
      .catch(function (e) { if (e.name !== "AbortError") { throw e; } });
  }

  function drawIncidents(fc) {
    groups.incidents.clearLayers();
    fc.features.forEach(function (f) {
      var p = f.properties;
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      if (fc.aggregated) {
        var top = Object.keys(p.types).sort(function (a, b) { return p.types[b] - p.types[a]; })[0];
        var r = Math.min(26, 7 + 3 * Math.log(p.count));
        var cell = L.circleMarker(ll, { pane: "incidents", radius: r, color: "#1b2631", weight: 1,
          fillColor: style.incidents[top] || style.other_incident, fillOpacity: 0.6, className: "incident-cell" });
        cell.bindTooltip(p.count + " incidents; most: " + top.replace(/-/g, " ") + ". Select to zoom in.");
        cell.on("click", function () {
          map.fitBounds([[p.bounds[1], p.bounds[0]], [p.bounds[3], p.bounds[2]]]);
        });
        cell.addTo(groups.incidents);
        label(ll, String(p.count), "cell-count", [12, 7]).addTo(groups.incidents);
        return;
      }
      var ring = style.statuses[p.status] || ["#333", 1, 0.85];
      var dot = document.createElementNS(SVG, "svg");
      dot.setAttribute("width", "14"); dot.setAttribute("height", "14"); dot.setAttribute("aria-hidden", "true");
      var c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", "7"); c.setAttribute("cy", "7"); c.setAttribute("r", String(6 - ring[1] / 2));
      c.setAttribute("fill", style.incidents[p.type] || style.other_incident);
      c.setAttribute("fill-opacity", String(ring[2])); c.setAttribute("stroke", ring[0]);
      c.setAttribute("stroke-width", String(ring[1]));
      if (p.status === "dismissed") { c.setAttribute("stroke-dasharray", "2 1.5"); }
      dot.appendChild(c);
      var name = "incident #" + p.id + " " + p.type + " (" + p.status + "), " + p.date;
      var m = L.marker(ll, { pane: "incidents", keyboard: true, riseOnHover: true,
        icon: L.divIcon({ className: "incident incident-" + p.id, html: dot, iconSize: [14, 14] }) });
      m.bindTooltip(name.replace(/-/g, " "));
      m.on("add", function () { m.getElement().setAttribute("aria-label", name); });
      m.on("click", function () { window.location.href = "/incidents/" + p.id; });
      m.on("keypress", function (e) {
        if (e.originalEvent.key === "Enter") { window.location.href = "/incidents/" + p.id; }
      });
      m.addTo(groups.incidents);
    });
    el.setAttribute("data-incidents", String(fc.features.length));
    el.setAttribute("data-aggregated", String(fc.aggregated));
  }

  document.querySelectorAll("#map-layers input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      var k = box.getAttribute("data-layer");
      var extra = k === "oblasts" ? oblastLabels : k === "settlements" ? placeLabels : null;
      if (box.checked) {
        map.addLayer(groups[k]);
        if (extra) { map.addLayer(extra); }
        if (k === "incidents") { loadIncidents(); }
        if (k === "settlements") { placeLabelsNow(); }
      } else {
        map.removeLayer(groups[k]);
        if (extra) { map.removeLayer(extra); }
      }
    });
  });

  map.on("moveend", function () { placeLabelsNow(); loadIncidents(); });
  fetch("/api/v1/map/layers?date=" + encodeURIComponent(date), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(drawBasemap)
    .then(loadIncidents);
}());
