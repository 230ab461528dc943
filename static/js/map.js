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

  var outlineStyle = { color: "#003f5f", weight: 3, fill: false, interactive: false };
  var regionStyle = { color: "#2f6b3a", weight: 1.5, fillColor: "#2f6b3a", fillOpacity: 0.08, interactive: false };

  function pin(number) {
    return L.divIcon({
      className: "map-pin",
      html: String(Number(number)),
      iconSize: [28, 28],
      iconAnchor: [14, 14]
    });
  }

  // The SVG's units back to latitude/longitude: the inverse of domain/geo.py's Viewport.
  function unproject(view, x, y) {
    var radius = 6378137;
    var mx = (x - view[3]) / view[2] + view[0];
    var my = view[1] - (y - view[3]) / view[2];
    var lat = (2 * Math.atan(Math.exp(my / radius)) - Math.PI / 2) * 180 / Math.PI;
    return [lat, mx / radius * 180 / Math.PI];
  }

  // "M1 2L3 4L5 6ZM…": one ring per M…Z, as latitude/longitude pairs.
  function rings(view, d) {
    return d.split("Z").filter(function (part) {
      return part.trim();
    }).map(function (part) {
      return part.replace("M", "").split("L").map(function (pair) {
        var xy = pair.trim().split(/\s+/);
        return unproject(view, parseFloat(xy[0]), parseFloat(xy[1]));
      });
    });
  }

  function addShapes(map, svg, view) {
    Array.prototype.forEach.call(svg.querySelectorAll("path.map-region"), function (path) {
      L.polygon(rings(view, path.getAttribute("d")), regionStyle).addTo(map);
    });
    var outline = svg.querySelector("path.map-outline");
    if (outline) {
      L.polygon(rings(view, outline.getAttribute("d")), outlineStyle).addTo(map);
    }
  }

  function addMarkers(map, svg) {
    Array.prototype.forEach.call(svg.querySelectorAll("a.map-marker"), function (link) {
      var label = link.getAttribute("aria-label");
      var url = link.getAttribute("href");
      var spot = [parseFloat(link.getAttribute("data-lat")), parseFloat(link.getAttribute("data-lon"))];
      var marker = L.marker(spot, { icon: pin(link.getAttribute("data-number")), title: label, keyboard: true });
      marker.on("click", function () {
        window.location.href = url;
      });
      marker.addTo(map);
      var element = marker.getElement();
      if (element) {
        element.setAttribute("aria-label", label);
        element.setAttribute("role", "link");
        // A link opens with Enter; Leaflet's markers only know clicks.
        element.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            window.location.href = url;
          }
        });
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
    var map = L.map(box, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: Boolean(data.tiles) });
    if (data.tiles) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: data.tiles.maxZoom }).addTo(map);
    }
    addShapes(map, svg, data.view);
    var b = data.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
    if (figure.hasAttribute("data-map-picker")) {
      picker(figure, map);
    } else {
      addMarkers(map, svg);
    }
  }

  load(function () {
    Array.prototype.forEach.call(figures, init);
  });
})();
