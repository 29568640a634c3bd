/* The vacant-house program map: markers from the public GeoJSON endpoint. Progressive enhancement only:
   the list below the map holds the same information and works without JavaScript. */
(function () {
  "use strict";
  var container = document.getElementById("house-map");
  if (!container || typeof L === "undefined") {
    return;
  }
  container.classList.add("regen-map-active");
  var map = L.map(container, { scrollWheelZoom: false }).setView(
    [parseFloat(container.dataset.centerLat), parseFloat(container.dataset.centerLng)],
    14
  );
  L.tileLayer(container.dataset.tileUrl, {
    maxZoom: 18,
    attribution: container.dataset.tileAttribution,
  }).addTo(map);

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  fetch(container.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (data) {
      var bounds = [];
      data.features.forEach(function (feature) {
        var coords = feature.geometry.coordinates;
        var p = feature.properties;
        var marker = L.marker([coords[1], coords[0]], { title: p.title, alt: p.title });
        // The photo's URL comes from the portal's public storage; text() escapes it for the attribute.
        var photo = p.photo_url ? '<img src="' + text(p.photo_url).replace(/"/g, "&quot;") + '" alt="" width="160"><br>' : "";
        marker.bindPopup(
          photo + "<strong>" + text(p.title) + "</strong><br>" + text(p.dong) + " · " + text(p.status_label) +
            (p.program_kind_label ? "<br>" + text(p.program_kind_label) : "") +
            '<br><a href="#house-' + encodeURIComponent(p.id) + '">' + text(container.dataset.listLabel) + "</a>"
        );
        marker.addTo(map);
        bounds.push([coords[1], coords[0]]);
      });
      container.dataset.markerCount = String(bounds.length);
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      }
    })
    .catch(function () {
      container.dataset.markerCount = "error";
    });
})();
