// Maps: turn the server-drawn SVG map into a zoomable Leaflet map (our own copy of
// Leaflet, loaded only here). The SVG stays in the page for when this script cannot run;
// the numbered list next to the map stays as it is. On the idea form, tapping the map
// fills in the latitude and longitude fields.
(function () {
  "use strict";
  var figures = document.querySelectorAll("[data-map]");
  if (!figures.length || !document.currentScript) {
    return;
  }
  var vendor = document.currentScript.src.replace(/js\/map\.js(\?.*)?$/, "vendor/leaflet/");

  function load(then) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = vendor + "leaflet.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = vendor + "leaflet.js";
    script.onload = then;
    document.head.appendChild(script);
  }

  var outlineStyle = { color: "#1d4f91", weight: 3, fill: false };
  var regionStyle = { color: "#2f6b3a", weight: 1.5, fillColor: "#2f6b3a", fillOpacity: 0.08 };

  function pin(number, label) {
    return L.divIcon({
      className: "map-pin",
      html: String(Number(number)),
      iconSize: [28, 28],
      iconAnchor: [14, 14]
    });
  }

  function addMarkers(map, data) {
    data.markers.forEach(function (m) {
      var label = m[0] + ": " + m[3];
      var marker = L.marker([m[1], m[2]], { icon: pin(m[0]), title: label, keyboard: true });
      marker.on("click", function () {
        window.location.href = m[4];
      });
      marker.addTo(map);
      var element = marker.getElement();
      if (element) {
        element.setAttribute("aria-label", label);
        element.setAttribute("role", "link");
      }
    });
  }

  function picker(figure, map) {
    var lat = document.getElementById(figure.getAttribute("data-lat"));
    var lon = document.getElementById(figure.getAttribute("data-lon"));
    var hint = figure.querySelector(".map-js-hint");
    if (!lat || !lon) {
      return;
    }
    if (hint) {
      hint.hidden = false;
    }
    var spot = null;
    function place() {
      var a = parseFloat(String(lat.value).replace(",", "."));
      var b = parseFloat(String(lon.value).replace(",", "."));
      if (isNaN(a) || isNaN(b)) {
        return;
      }
      if (spot) {
        spot.setLatLng([a, b]);
      } else {
        spot = L.circleMarker([a, b], { radius: 9, color: "#b3261e", weight: 3, fillOpacity: 0.6 }).addTo(map);
      }
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place();
    });
    lat.addEventListener("change", place);
    lon.addEventListener("change", place);
    place();
  }

  function init(figure) {
    var source = figure.querySelector(".map-data");
    var svg = figure.querySelector(".map-svg");
    if (!source || !svg) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var box = document.createElement("div");
    box.className = "map-leaflet";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", data.title);
    figure.insertBefore(box, svg);
    svg.classList.add("map-svg-replaced");
    var map = L.map(box, { scrollWheelZoom: false, attributionControl: Boolean(data.tiles) });
    if (data.tiles) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom }).addTo(map);
    }
    data.regions.forEach(function (region) {
      L.geoJSON(region.geometry, { style: regionStyle, interactive: false }).addTo(map);
    });
    if (data.outline) {
      L.geoJSON(data.outline, { style: outlineStyle, interactive: false }).addTo(map);
    }
    var b = data.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
    if (figure.hasAttribute("data-map-picker")) {
      picker(figure, map);
    } else {
      addMarkers(map, data);
    }
  }

  load(function () {
    Array.prototype.forEach.call(figures, init);
  });
})();
