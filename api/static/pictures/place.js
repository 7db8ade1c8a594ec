"use strict";
// A place page's map: the world's outline (world-atlas shapes), the country itself shaded (matched
// on its ISO 3166-1 numeric code, as on /map), and the place's gazetteer point.
(async () => {
  try {
    await Pictures.draw("place-map", spec(document.getElementById("place-map").dataset));
  } catch (error) {
    Pictures.fail("place-map", error);
  }
})();

function spec(place) {
  const shapes = { url: Pictures.settings.worldAtlas, format: { type: "topojson", feature: "countries" } };
  const point = { values: [{ name: place.name, latitude: Number(place.lat), longitude: Number(place.long) }] };
  const layer = [{ data: shapes, mark: { type: "geoshape", fill: "#e4e4e4", stroke: "#ffffff", strokeWidth: 0.4, aria: false } }];
  if (place.m49) {
    layer.push({
      data: shapes,
      transform: [{ filter: { field: "id", equal: place.m49 } }],
      mark: { type: "geoshape", fill: "#3d6fb6", stroke: "#ffffff", strokeWidth: 0.4, aria: false },
    });
  }
  layer.push({
    data: point,
    mark: { type: "circle", size: 110, color: "#b3261e", opacity: 1, stroke: "#ffffff", strokeWidth: 1.5 },
    encoding: {
      longitude: { field: "longitude", type: "quantitative" },
      latitude: { field: "latitude", type: "quantitative" },
      tooltip: [{ field: "name", title: "place" }],
    },
  });
  return {
    description: `${place.name} on a world map`,
    width: "container",
    height: 320,
    projection: { type: "equalEarth" },
    layer,
  };
}
