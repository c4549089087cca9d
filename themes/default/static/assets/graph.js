// The graph page, enhanced: pointing at or focusing a record lights up its neighbours and the
// lines to them, and the lane titles and the year axis stay in view while the picture scrolls.
// Everything on the page works without it.
(() => {
  for (const svg of document.querySelectorAll("svg.graph")) {
    const frame = svg.parentElement;
    const near = new Map();
    for (const e of svg.querySelectorAll("path[data-e]")) {
      const [a, b] = e.dataset.e.split(" ");
      for (const [x, y] of [[a, b], [b, a]]) {
        if (!near.has(x)) near.set(x, []);
        near.get(x).push([y, e]);
      }
    }
    let lit = [];
    const clear = () => {
      for (const el of lit) el.classList.remove("on");
      lit = [];
      svg.classList.remove("hl");
    };
    const light = (node) => {
      clear();
      lit.push(node);
      for (const [j, e] of near.get(node.id.slice(2)) || []) {
        const other = document.getElementById("gn" + j);
        if (other) lit.push(other);
        lit.push(e);
      }
      for (const el of lit) el.classList.add("on");
      svg.classList.add("hl");
    };
    const pick = (ev) => {
      const n = ev.target.closest && ev.target.closest("a.n[id]");
      if (n) light(n);
    };
    svg.addEventListener("mouseover", pick);
    svg.addEventListener("focusin", pick);
    svg.addEventListener("mouseleave", clear);
    svg.addEventListener("focusout", clear);
    // A decade link puts its year just right of the lane titles, the frame at the top of the window.
    for (const a of document.querySelectorAll('a[href^="#gy-"]')) {
      a.addEventListener("click", (ev) => {
        const tick = document.getElementById(a.getAttribute("href").slice(1));
        if (!tick || !frame) return;
        ev.preventDefault();
        frame.scrollIntoView({ block: "start" });
        frame.scrollLeft = tick.x.baseVal[0].value - 140;
      });
    }
    const titles = svg.querySelector(".lane-titles");
    const axis = svg.querySelector(".axis");
    if (frame && (titles || axis)) {
      const keep = () => {
        if (titles) titles.setAttribute("transform", `translate(${frame.scrollLeft} 0)`);
        if (axis) axis.setAttribute("transform", `translate(0 ${frame.scrollTop})`);
      };
      frame.addEventListener("scroll", keep, { passive: true });
      // On a phone the first screen of a long axis is its emptiest: start at the latest decade.
      const decades = svg.querySelectorAll('[id^="gy-"]');
      if (frame.clientWidth < 600 && !location.hash && decades.length > 1) {
        frame.scrollLeft = decades[decades.length - 1].x.baseVal[0].value - 140;
        keep();
      }
    }
  }
})();
