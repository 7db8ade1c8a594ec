# ---- api: the UI assets served by the server ----
# YASGUI, Swagger UI, and Vega, Vega-Lite, vega-embed and world-atlas (the map and the charts) are
# installed from the npm registry into api/static/node_modules (pinned by package-lock.json), so the
# query UI, /docs, /map and /charts are served from the project and work offline.
YASGUI_JS := api/static/node_modules/@zazuko/yasgui/build/yasgui.min.js
SWAGGER_JS := api/static/node_modules/swagger-ui-dist/swagger-ui-bundle.js
VEGA_JS := api/static/node_modules/vega/build/vega.min.js
VEGA_LITE_JS := api/static/node_modules/vega-lite/build/vega-lite.min.js
VEGA_EMBED_JS := api/static/node_modules/vega-embed/build/vega-embed.min.js
WORLD_ATLAS := api/static/node_modules/world-atlas/countries-50m.json
API_ASSETS := $(YASGUI_JS) $(SWAGGER_JS) $(VEGA_JS) $(VEGA_LITE_JS) $(VEGA_EMBED_JS) $(WORLD_ATLAS)

.PHONY: api-assets
api-assets: $(API_ASSETS)

$(API_ASSETS) &: api/static/package.json api/static/package-lock.json
	cd api/static && npm ci --no-audit --no-fund --ignore-scripts
	touch $(API_ASSETS)
# ---- end api ----
