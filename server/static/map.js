// Maps of cities with Leaflet, without tiles (no internet): markers on a plain background,
// with a graticule so that positions can be read. The data comes from the page itself.
(function () {
  if (typeof L === "undefined") return;
  L.Icon.Default.imagePath = "/static/vendor/leaflet/images/";
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
    element.classList.add("map-ready");
  });
})();
