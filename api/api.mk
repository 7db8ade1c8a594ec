# ---- api: the UI assets served by the server ----
# YASGUI and Swagger UI are installed from the npm registry into api/static/node_modules (pinned by
# package-lock.json), so the query UI and /docs are served from the project and work offline.
YASGUI_JS := api/static/node_modules/@zazuko/yasgui/build/yasgui.min.js
SWAGGER_JS := api/static/node_modules/swagger-ui-dist/swagger-ui-bundle.js

.PHONY: api-assets
api-assets: $(YASGUI_JS) $(SWAGGER_JS)

$(YASGUI_JS) $(SWAGGER_JS) &: api/static/package.json api/static/package-lock.json
	cd api/static && npm ci --no-audit --no-fund --ignore-scripts
	touch $(YASGUI_JS) $(SWAGGER_JS)
# ---- end api ----
