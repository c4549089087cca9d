// bilat search: loads this language's search/index.json once and filters it in the browser.
// Matching is by substring on lower-cased text, so it works for Chinese and Urdu without a
// word segmenter; every query word must appear, and title matches rank first.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) return;
  var records = null;
  function norm(s) { return (s || "").toLowerCase(); }
  function load() {
    if (records) return Promise.resolve(records);
    return fetch(input.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
      records = data.map(function (r) { return { r: r, title: norm(r.t), text: norm(r.t + " " + (r.s || "") + " " + r.x) }; });
      return records;
    });
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text) e.textContent = text; return e; }
  function render(query) {
    var words = norm(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    load().then(function (all) {
      var hits = [];
      all.forEach(function (item) {
        var score = 0;
        for (var i = 0; i < words.length; i++) {
          if (item.text.indexOf(words[i]) < 0) return;
          score += item.title.indexOf(words[i]) >= 0 ? 10 : 1;
        }
        hits.push({ item: item, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || (a.item.r.t < b.item.r.t ? -1 : 1); });
      status.textContent = hits.length ? hits.length + " " + input.getAttribute("data-count") : input.getAttribute("data-none");
      hits.slice(0, 100).forEach(function (h) {
        var r = h.item.r, li = el("li", "card"), a = el("a", "card-title", r.t);
        a.href = r.u; li.appendChild(a);
        var meta = el("span", "card-meta", r.k + (r.d ? " · " + r.d : "")); li.appendChild(meta);
        if (r.s) li.appendChild(el("p", "card-summary", r.s));
        list.appendChild(li);
      });
    });
  }
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); render(input.value); }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(window.location.href); url.searchParams.set("q", input.value);
      history.replaceState(null, "", url); render(input.value);
    }, 120);
  });
})();
