"use strict";
// The charts of /charts, each from its REST view: GCM objectives × SDG goals (targets cited),
// MiGOF essential elements × GCM objectives (the crosswalk's confidence), and resources per
// document and class. Rows and columns come from the frameworks' own lists, so an objective or a
// goal with no cell still has its place on the axis.
(async () => {
  const charts = [
    ["objective-goals", objectiveGoals],
    ["element-objectives", elementObjectives],
    ["document-classes", documentClasses],
  ];
  for (const [id, chart] of charts) {
    try {
      await chart(id);
    } catch (error) {
      Pictures.fail(id, error);
    }
  }
})();

const objectiveName = (number, name) => `${number} ${name}`;

async function objectiveGoals(id) {
  const [cells, goals, objectives] = await Promise.all([
    Pictures.rows("/api/charts/objective-sdg-goals"),
    Pictures.rows("/api/sdg-goals"),
    Pictures.rows("/api/frameworks/gcm/objectives"),
  ]);
  const data = cells.map((c) => ({
    ...c,
    objective: objectiveName(c.objective_number, c.objective_label),
    page: Pictures.page(c.id),
  }));
  const cited = data.reduce((sum, c) => sum + c.cited, 0);
  const computed = data.reduce((sum, c) => sum + c.computed, 0);
  const perGoal = new Map();
  for (const c of data) perGoal.set(c.goal_notation, (perGoal.get(c.goal_notation) ?? 0) + c.cited);
  const [topGoal, topCount] = [...perGoal].sort((a, b) => b[1] - a[1])[0];
  const summary =
    `A matrix of the ${objectives.length} GCM objectives (rows) and the ${goals.length} SDG goals (columns): ` +
    `each cell counts the goal's targets the implementation booklet cites for the objective, ${cited} in all; ` +
    `goal ${topGoal} is cited most (${topCount} targets). The crosswalk's computed mappings add ${computed} more: a dashed border marks their cells.`;
  const tooltip = [
    { field: "objective", title: "GCM objective" },
    { field: "goal_title", title: "SDG goal" },
    { field: "cited", title: "targets the booklet cites" },
    { field: "computed", title: "targets the crosswalk adds" },
  ];
  Pictures.say(`${id}-summary`, summary);
  await Pictures.draw(id, {
    description: summary,
    data: { values: data },
    width: "container",
    height: { step: 22 },
    encoding: {
      x: {
        field: "goal_notation",
        type: "ordinal",
        title: "SDG goal",
        scale: { domain: goals.map((g) => g.notation) },
        axis: { orient: "top", labelAngle: 0 },
      },
      y: {
        field: "objective",
        type: "ordinal",
        title: null,
        scale: { domain: objectives.map((o) => objectiveName(o.number, o.name)) },
        axis: { labelLimit: 260 },
      },
    },
    layer: [
      {
        transform: [{ filter: "datum.cited > 0" }],
        mark: { type: "rect", cursor: "pointer" },
        encoding: {
          // The light half of the scheme only, so that the dark figures stay readable on every cell.
          color: { field: "cited", type: "quantitative", title: "targets cited", scale: { scheme: { name: "blues", extent: [0.1, 0.65] } } },
          tooltip,
          href: { field: "page" },
        },
      },
      {
        transform: [{ filter: "datum.computed > 0" }],
        mark: { type: "rect", fillOpacity: 0, stroke: "#8a4b00", strokeWidth: 1.5, strokeDash: [3, 2], cursor: "pointer" },
        encoding: { tooltip, href: { field: "page" } },
      },
      {
        transform: [{ filter: "datum.cited > 0" }],
        mark: { type: "text", fontSize: 11, color: "#1b1b1b" },
        encoding: { text: { field: "cited", type: "quantitative" } },
      },
    ],
  });
  Pictures.table(`${id}-table`, "Targets cited per GCM objective and SDG goal", [
    { title: "GCM objective", value: (c) => c.objective, link: (c) => c.id },
    { title: "SDG goal", value: (c) => `${c.goal_notation} ${c.goal_title}` },
    { title: "targets the booklet cites", value: (c) => c.cited, number: true },
    { title: "targets the crosswalk adds", value: (c) => c.computed, number: true },
  ], data);
}

async function elementObjectives(id) {
  const [mappings, elements, objectives] = await Promise.all([
    Pictures.rows("/api/charts/element-objectives"),
    Pictures.rows("/api/migof/elements"),
    Pictures.rows("/api/frameworks/gcm/objectives"),
  ]);
  const data = mappings.map((m) => ({
    ...m,
    element: `${m.element_number} ${m.element_label}`,
    page: Pictures.page(m.id),
  }));
  const strongest = [...data].sort((a, b) => b.confidence - a.confidence)[0];
  const summary =
    `A matrix of MiGOF's ${elements.length} essential elements (rows) and the GCM's ${objectives.length} objectives ` +
    `(columns): a shaded cell is a crosswalk mapping between them, darker when more confident; ${data.length} cells in all` +
    (strongest
      ? `, the most confident element ${strongest.element_number} to objective ${strongest.objective_number} (${strongest.confidence.toFixed(2)}).`
      : ".");
  Pictures.say(`${id}-summary`, summary);
  await Pictures.draw(id, {
    description: summary,
    data: { values: data },
    width: "container",
    height: { step: 28 },
    mark: { type: "rect", cursor: "pointer" },
    encoding: {
      x: {
        field: "objective_number",
        type: "ordinal",
        title: "GCM objective",
        scale: { domain: objectives.map((o) => o.number) },
        axis: { orient: "top", labelAngle: 0 },
      },
      y: {
        field: "element",
        type: "ordinal",
        title: null,
        scale: { domain: elements.map((e) => `${e.number} ${e.name}`) },
        axis: { labelLimit: 420 },
      },
      color: { field: "confidence", type: "quantitative", title: "confidence", scale: { scheme: "purples", domain: [0, 1] } },
      tooltip: [
        { field: "element", title: "MiGOF element" },
        { field: "objective_label", title: "GCM objective" },
        { field: "confidence", title: "confidence", format: ".2f" },
      ],
      href: { field: "page" },
    },
  });
  Pictures.table(`${id}-table`, "Crosswalk mappings from MiGOF essential elements to GCM objectives", [
    { title: "MiGOF element", value: (m) => m.element, link: (m) => m.element },
    { title: "GCM objective", value: (m) => objectiveName(m.objective_number, m.objective_label), link: (m) => m.objective },
    { title: "confidence", value: (m) => m.confidence.toFixed(2), number: true },
    { title: "mapping", value: () => "the mapping", link: (m) => m.id },
  ], data);
}

async function documentClasses(id) {
  const counts = await Pictures.rows("/api/charts/document-classes");
  const data = counts.map((c) => ({ ...c, page: Pictures.page(c.id) }));
  const documents = new Set(data.map((c) => c.id));
  const total = data.reduce((sum, c) => sum + c.resources, 0);
  const summary =
    `Bars of the resources extracted from each of the ${documents.size} source documents, by class: ${total} in all. ` +
    `Each document is one panel; a bar's length is the number of its resources of that class.`;
  Pictures.say(`${id}-summary`, summary);
  await Pictures.draw(id, {
    description: summary,
    data: { values: data },
    facet: { row: { field: "document_label", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top", labelLimit: 900, labelFontSize: 12 } } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 560,
      height: { step: 18 },
      mark: { type: "bar", color: "#2c6aa6", cursor: "pointer" },
      encoding: {
        y: { field: "class_label", type: "nominal", title: null, sort: "-x" },
        x: { field: "resources", type: "quantitative", title: "resources" },
        tooltip: [
          { field: "document_label", title: "document" },
          { field: "class_label", title: "class" },
          { field: "resources", title: "resources" },
        ],
        href: { field: "page" },
      },
    },
  });
  Pictures.table(`${id}-table`, "Resources per source document and class", [
    { title: "document", value: (c) => c.document_label, link: (c) => c.id },
    { title: "class", value: (c) => c.class_label, link: (c) => c.class },
    { title: "resources", value: (c) => c.resources, number: true },
  ], data);
}
