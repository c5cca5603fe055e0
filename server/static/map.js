// Maps of cities with Leaflet, without tiles (no internet): markers on a plain background,
// with a graticule so that positions can be read. The data comes from the page itself.
(function () {
  if (typeof L === "undefined") return;
  L.Icon.Default.imagePath = "/static/vendor/leaflet/images/";
  var PLACES = [
    // offsets add to the default icon's tooltipAnchor [16, -28]; the marker's point is its tip
    { direction: "right", offset: [8, -14] },
    { direction: "left", offset: [-32, -14] },
    { direction: "bottom", offset: [-16, 32] },
    { direction: "top", offset: [-16, -16] },
  ];
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function declutter(map) {
    var placed = [];
    map.eachLayer(function (layer) {
      var tooltip = layer.getTooltip && layer.getTooltip();
      if (!tooltip || !tooltip.options.permanent || !map.hasLayer(tooltip)) return;
      for (var i = 0; i < PLACES.length; i++) {
        tooltip.options.direction = PLACES[i].direction;
        tooltip.options.offset = L.point(PLACES[i].offset);
        tooltip.update();
        var box = tooltip.getElement().getBoundingClientRect();
        if (!placed.some(function (other) { return overlaps(box, other); })) break;
      }
      placed.push(tooltip.getElement().getBoundingClientRect());
    });
  }
  document.querySelectorAll(".map[data-markers]").forEach(function (element) {
    var markers = JSON.parse(element.dataset.markers || "[]");
    if (!markers.length) return;
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var lines = [];
    for (var lat = -80; lat <= 80; lat += 10) lines.push([[lat, -180], [lat, 180]]);
    for (var lng = -180; lng <= 180; lng += 10) lines.push([[-85, lng], [85, lng]]);
    L.polyline(lines, { color: "#c9d3dd", weight: 1, interactive: false }).addTo(map);
    var bounds = [];
    markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.long], { title: m.name, alt: m.name, keyboard: true }).addTo(map);
      var label = document.createElement(m.href ? "a" : "span");
      label.textContent = m.name;  // text, never HTML: names are data
      if (m.href) label.href = m.href;
      var tip = document.createElement("span");
      tip.textContent = m.name;  // Leaflet would take a string as HTML
      marker.bindTooltip(tip, { permanent: markers.length <= 20, direction: "right", offset: [8, -14] });
      marker.bindPopup(label);
      bounds.push([m.lat, m.long]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 6);
    else map.fitBounds(bounds, { padding: [40, 40] });
    // Neighbouring cities (Mülheim and Opole at a small zoom) put their permanent labels on top
    // of each other: a label that overlaps one placed before it moves left, then below, then above.
    map.on("zoomend", function () { declutter(map); });
    declutter(map);
    element.classList.add("map-ready");
  });
})();
