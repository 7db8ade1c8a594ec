"use strict";
// The world map of /map: the countries the texts name shaded by how many resources name them
// (world-atlas shapes, matched on the ISO 3166-1 numeric code the view gives as m49), the cities
// as points at their gazetteer coordinates; every shape and point links to its resource page.
(async () => {
  try {
    const places = (await Pictures.rows("/api/map")).map((place) => ({ ...place, page: Pictures.page(place.id) }));
    const countries = places.filter((place) => place.type === "country");
    const cities = places.filter((place) => place.type === "city");
    const drawn = cities.filter((city) => city.latitude !== null && city.longitude !== null);
    const summary = describe(countries, cities, drawn);
    Pictures.say("map-summary", summary);
    await Pictures.draw("map", spec(countries, drawn, summary));
    Pictures.table("map-table", "Countries and cities the texts name, most named first", columns(), mostNamedFirst(places));
  } catch (error) {
    Pictures.fail("map", error);
  }
})();

function mostNamedFirst(places) {
  return [...places].sort((a, b) => b.mentioned_in - a.mentioned_in || a.name.localeCompare(b.name));
}

function describe(countries, cities, drawn) {
  const top = mostNamedFirst(countries).slice(0, 3).map((c) => `${c.name} (${c.mentioned_in})`);
  const topCity = mostNamedFirst(cities)[0];
  return (
    `The texts name ${countries.length} countries and ${cities.length} cities. ` +
    `The countries named by the most resources are ${top.join(", ")}` +
    (topCity ? `; the city named most is ${topCity.name} (${topCity.mentioned_in}). ` : ". ") +
    `${drawn.length} cities are drawn as points; the other ${cities.length - drawn.length} have no unambiguous gazetteer entry.`
  );
}

function spec(countries, cities, summary) {
  const shapes = { url: Pictures.settings.worldAtlas, format: { type: "topojson", feature: "countries" } };
  const tooltip = [
    { field: "name", title: "place" },
    { field: "mentioned_in", title: "resources naming it" },
    { field: "practices", title: "practices carried out there" },
  ];
  return {
    description: summary,
    width: "container",
    height: 480,
    projection: { type: "equalEarth" },
    // The countries' shade and the cities' size count the same thing for different places: two legends.
    resolve: { scale: { color: "independent", size: "independent" }, legend: { color: "independent", size: "independent" } },
    layer: [
      // The world's outline is the backdrop: hidden from assistive technology, which reads the named countries.
      { data: shapes, mark: { type: "geoshape", fill: "#e4e4e4", stroke: "#ffffff", strokeWidth: 0.4, aria: false } },
      {
        data: shapes,
        transform: [
          { lookup: "id", from: { data: { values: countries }, key: "m49", fields: ["name", "mentioned_in", "practices", "page"] } },
          { filter: "isValid(datum.name)" },
        ],
        mark: { type: "geoshape", stroke: "#ffffff", strokeWidth: 0.4, cursor: "pointer" },
        encoding: {
          color: {
            field: "mentioned_in",
            type: "quantitative",
            scale: { type: "symlog", scheme: "blues" },
            title: "resources naming the country",
          },
          tooltip,
          href: { field: "page" },
        },
      },
      {
        data: { values: cities },
        mark: { type: "circle", color: "#b2182b", opacity: 0.85, stroke: "#ffffff", strokeWidth: 1, cursor: "pointer" },
        encoding: {
          longitude: { field: "longitude", type: "quantitative" },
          latitude: { field: "latitude", type: "quantitative" },
          size: { field: "mentioned_in", type: "quantitative", title: "resources naming the city" },
          tooltip,
          href: { field: "page" },
        },
      },
    ],
  };
}

function columns() {
  const coordinate = (value) => (value === null ? "no unambiguous gazetteer entry" : value.toFixed(2));
  return [
    { title: "place", value: (p) => p.name, link: (p) => p.id },
    { title: "kind", value: (p) => p.type },
    { title: "resources naming it", value: (p) => p.mentioned_in, number: true },
    { title: "practices carried out there", value: (p) => p.practices, number: true },
    { title: "latitude", value: (p) => coordinate(p.latitude) },
    { title: "longitude", value: (p) => (p.longitude === null ? "" : p.longitude.toFixed(2)) },
  ];
}
