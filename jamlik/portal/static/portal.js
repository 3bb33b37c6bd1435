/* jamlik portal: draws Plotly charts, switches colour method, downloads charts, static search.
   Served pages load each chart's data from its data-src URL; the static site, which works
   from file://, carries it in <script class="plot-spec"> tags. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var sv = (document.documentElement.lang || "sv") === "sv";

  function draw(target, spec) {
    spec.data.forEach(function (trace) {
      if (trace.geojson === "__KOMMUN_GEOJSON__") { trace.geojson = window.JAMLIK_KOMMUN_GEOJSON; }
    });
    var name = target.id;
    // A phone (the chart under ~560 px wide): the colour bar goes under the map and the
    // margins shrink, so the map of Sweden gets the width instead of the legend.
    if (target.clientWidth && target.clientWidth < 560) {
      var layout = spec.layout;
      layout.margin = { l: Math.min((layout.margin || {}).l || 40, 40), r: 8, t: 50,
                        b: Math.max((layout.margin || {}).b || 40, 40) };
      spec.data.forEach(function (trace) {
        if (trace.type === "choropleth") {
          trace.colorbar = Object.assign({}, trace.colorbar || {},
            { orientation: "h", x: 0, xanchor: "left", y: -0.02, yanchor: "top", len: 1 });
          layout.margin.b = 70;
          // Sweden's own frame instead of fitbounds, and a taller chart: the map is about
          // 270 px wide on a 390 px phone instead of 130
          layout.geo = Object.assign({}, layout.geo || {}, { fitbounds: false,
            lonaxis: { range: [10.5, 24.5] }, lataxis: { range: [55.2, 69.2] } });
          layout.height = Math.max(layout.height || 0, 760);
        }
      });
      if (layout.title && layout.title.font) { layout.title.font.size = 13; }
    }
    var config = {
      responsive: true, displaylogo: false,
      toImageButtonOptions: { format: "png", filename: name, scale: 2 },
      modeBarButtonsToAdd: [{
        name: sv ? "Ladda ner som SVG" : "Download as SVG",
        icon: window.Plotly.Icons.disk,
        click: function (gd) { window.Plotly.downloadImage(gd, { format: "svg", filename: name }); }
      }]
    };
    return window.Plotly.newPlot(target, spec.data, spec.layout, config).then(function () {
      // the drawing itself is noise to a screen reader: the group's label says what the
      // chart shows and the same values are in the table under it
      target.querySelectorAll("svg.main-svg").forEach(function (svg) {
        svg.setAttribute("aria-hidden", "true");
      });
      target.setAttribute("data-rendered", "1");
    });
  }

  function drawCharts() {
    if (!window.Plotly) { return; }
    // the static site: the data is in the page (file:// cannot fetch)
    document.querySelectorAll("script.plot-spec").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      if (target) { draw(target, JSON.parse(node.textContent)); }
    });
    // the server: each chart's data from its own cached URL, asked for once the page is read
    document.querySelectorAll(".plot[data-src]").forEach(function (target) {
      window.fetch(target.getAttribute("data-src"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status + " " + target.id); }
          return response.json();
        })
        .then(function (spec) { return draw(target, spec); })
        .catch(function () {
          // the caption and the table under the chart still say what it shows
          target.setAttribute("data-failed", "1");
        });
    });
    document.querySelectorAll("button[data-download]").forEach(function (button) {
      button.addEventListener("click", function () {
        var gd = document.getElementById(button.getAttribute("data-target"));
        window.Plotly.downloadImage(gd, { format: button.getAttribute("data-download"),
          filename: gd.id, width: 1000, height: gd.offsetHeight || 500 });
      });
    });
  }

  function colourSwitch() {
    var form = document.querySelector(".farg-form");
    var profile = document.getElementById("profil");
    if (!form || !profile) { return; }
    function apply(method) {
      profile.setAttribute("data-farg", method);
      form.querySelectorAll("input[name=farg]").forEach(function (r) { r.checked = r.value === method; });
    }
    var params = new URLSearchParams(window.location.search);
    if (params.get("farg")) { apply(params.get("farg")); }
    form.addEventListener("change", function (event) {
      if (event.target.name !== "farg") { return; }
      apply(event.target.value);
      params.set("farg", event.target.value);
      try { window.history.replaceState(null, "", "?" + params.toString()); } catch (e) { /* file:// */ }
    });
  }

  function staticSearch() {
    var box = document.getElementById("search-results");
    if (!box || !box.getAttribute("data-static") || !window.JAMLIK_SEARCH) { return; }
    var q = (new URLSearchParams(window.location.search).get("q") || "").trim().toLowerCase();
    document.getElementById("q").value = q;
    if (!q) { return; }
    var prefix = "../";
    var hits = window.JAMLIK_SEARCH.filter(function (item) {
      return item[2].toLowerCase().indexOf(q) >= 0 || item[1].toLowerCase() === q;
    }).slice(0, 100);
    var list = document.createElement("ul");
    list.className = "list";
    hits.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = prefix + item[0] + "/" + item[1] + ".html";
      a.textContent = item[2];
      li.appendChild(a);
      list.appendChild(li);
    });
    box.innerHTML = "";
    if (hits.length) { box.appendChild(list); } else {
      var p = document.createElement("p");
      p.textContent = sv ? "Inga träffar. Prova ett kortare ord eller en kommunkod som 2080." : "No matches.";
      box.appendChild(p);
    }
  }

  drawCharts();
  colourSwitch();
  staticSearch();
})();
