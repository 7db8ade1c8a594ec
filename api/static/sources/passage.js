// Marks the passage an RFC 5147 fragment (#char=START,END) selects in a source page's text,
// scrolls to it and shows it with its neighbouring text and pages, on load and on every change of
// the fragment. Offsets count Unicode code points, as the graph's oa:start and oa:end do; a
// JavaScript string counts UTF-16 units, so each text node is walked character by character.
"use strict";

(() => {
  const FRAGMENT = /^#char=(\d+),(\d+)(?:;.*)?$/; // RFC 5147 allows an integrity check after ";"
  const CONTEXT = 240; // code points of neighbouring text, as the server shows

  const container = document.getElementById("source-text");
  const panel = document.getElementById("passage");
  const where = document.getElementById("passage-where");
  const context = document.getElementById("passage-context");

  // The text nodes of the source itself: page numbers sit in the text's margin, not in its text.
  function textNodes() {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement.closest(".page") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function unmark() {
    for (const mark of container.querySelectorAll("mark.passage")) {
      mark.replaceWith(...mark.childNodes);
    }
    container.normalize();
  }

  // Wraps the code points [start, end) of the text in <mark> elements, one per text node crossed.
  function mark(start, end) {
    let offset = 0; // code points before the current node
    const marks = [];
    for (const node of textNodes()) {
      const characters = Array.from(node.data);
      const from = Math.max(start - offset, 0);
      const to = Math.min(end - offset, characters.length);
      offset += characters.length;
      if (from >= to) continue;
      const unitsBefore = characters.slice(0, from).join("").length;
      const units = characters.slice(from, to).join("").length;
      const marked = node.splitText(unitsBefore);
      marked.splitText(units);
      const element = document.createElement("mark");
      element.className = "passage";
      marked.replaceWith(element);
      element.append(marked);
      marks.push(element);
    }
    return marks;
  }

  function characters() {
    return Array.from(textNodes().map((node) => node.data).join(""));
  }

  function section(start) {
    let found = null;
    for (const page of container.querySelectorAll(".page")) {
      if (Number(page.dataset.start) <= start) found = page;
    }
    return found;
  }

  function show(start, end, text) {
    const page = section(start);
    const pages = page ? ` · ${page.dataset.pages}, in “${page.dataset.title}”` : "";
    where.textContent = `Characters ${start}–${end}${pages} · `;
    const link = document.createElement("a");
    link.href = `#char=${start},${end}`;
    link.textContent = "go to the passage";
    where.append(link);
    const quote = document.createElement("mark");
    quote.textContent = text.slice(start, end).join("");
    context.replaceChildren(
      `…${text.slice(Math.max(start - CONTEXT, 0), start).join("")}`,
      quote,
      `${text.slice(end, end + CONTEXT).join("")}…`,
    );
    panel.hidden = false;
  }

  function refuse(message) {
    where.textContent = message;
    context.replaceChildren();
    panel.hidden = false;
  }

  function follow() {
    const match = FRAGMENT.exec(decodeURIComponent(location.hash));
    if (!match) return;
    const [start, end] = [Number(match[1]), Number(match[2])];
    const text = characters();
    unmark();
    if (start >= end || end > text.length) {
      refuse(`#char=${start},${end} selects no passage: the start must be less than the end, and the end at most ${text.length}.`);
      return;
    }
    const marks = mark(start, end);
    marks[0].id = `char=${start},${end}`;
    show(start, end, text);
    marks[0].scrollIntoView({ block: "center" });
  }

  if (container) {
    window.addEventListener("hashchange", follow);
    follow();
  }
})();
