"use strict";
// What the map and the charts share: the page's settings, the views' rows, links to resource
// pages, the Vega-Lite embedding and the table that stands beside each picture for readers who
// do not see it. Text goes into the page through textContent only: the data is never markup.
const Pictures = (() => {
  const settings = document.getElementById("pictures").dataset;

  /** The site path of a resource's page: its IRI under the base IRI becomes /id/… here. */
  function page(iri) {
    return iri.startsWith(settings.baseIri) ? "/" + iri.slice(settings.baseIri.length) : iri;
  }

  /** Every row of a list view, following its pages. */
  async function rows(path) {
    const items = [];
    let url = path + (path.includes("?") ? "&" : "?") + "limit=1000";
    while (url) {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      const body = await response.json();
      items.push(...body.items);
      url = body.next;
    }
    return items;
  }

  /** Draws a Vega-Lite spec into the element with that id; no export menu (it links off-site). */
  function draw(id, spec) {
    return vegaEmbed(`#${id}`, spec, { mode: "vega-lite", renderer: "svg", actions: false });
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(text, iri) {
    const anchor = element("a", text);
    anchor.href = page(iri);
    return anchor;
  }

  /**
   * A table of the picture's data in the element with that id. Each column is
   * {title, value: row => text, link: row => IRI (optional), number: true (optional)}.
   */
  function table(id, caption, columns, data) {
    const tableElement = element("table");
    tableElement.append(element("caption", caption));
    const head = tableElement.createTHead().insertRow();
    for (const column of columns) {
      const cell = element("th", column.title, column.number ? "number" : "");
      cell.scope = "col";
      head.append(cell);
    }
    const body = tableElement.createTBody();
    for (const row of data) {
      const tr = body.insertRow();
      for (const column of columns) {
        const cell = tr.insertCell();
        if (column.number) cell.className = "number";
        const text = column.value(row);
        const iri = column.link && column.link(row);
        cell.append(iri ? link(text, iri) : document.createTextNode(text ?? "—"));
      }
    }
    document.getElementById(id).append(tableElement);
  }

  function say(id, text) {
    document.getElementById(id).textContent = text;
  }

  function fail(id, error) {
    const target = document.getElementById(id);
    target.replaceChildren(element("p", `The picture could not be drawn: ${error.message}`, "picture-error"));
  }

  return { settings, page, rows, draw, table, say, fail };
})();
