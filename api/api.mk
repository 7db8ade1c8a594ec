# ---- api (owned by the API engineer) ----
# YASGUI is installed from the npm registry into api/static/node_modules (pinned by package-lock.json),
# so the query UI is served from the project and works offline.
YASGUI_JS := api/static/node_modules/@zazuko/yasgui/build/yasgui.min.js

.PHONY: api-assets
api-assets: $(YASGUI_JS)

$(YASGUI_JS): api/static/package.json api/static/package-lock.json
	cd api/static && npm ci --no-audit --no-fund --ignore-scripts
	touch $@
# ---- end api ----
