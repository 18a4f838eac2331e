# Home Assistant add-on image. Two stages: the build stage compiles TypeScript (and the panel) with
# the full toolchain; the runtime stage gets Node, ffmpeg, `dist/` and production node_modules only.
# `scripts/build-outside-docker.mjs` runs these same steps without a Docker engine (and a test
# runs it), so what is written here is what is proven.
ARG BASE_IMAGE=ghcr.io/home-assistant/base:3.24

FROM ${BASE_IMAGE} AS build
RUN apk add --no-cache nodejs npm make g++ python3
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY ui ./ui
RUN npm run build
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM ${BASE_IMAGE}
RUN apk add --no-cache nodejs ffmpeg
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json config.yaml ./
COPY bin ./bin
COPY rules ./rules
COPY translations ./translations
COPY rootfs /
# The Supervisor picks the panel's port at each start; the service notes it in /data/ingress-port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD curl -fsS "http://127.0.0.1:$(cat /data/ingress-port 2>/dev/null || echo 8099)/api/health" || exit 1
LABEL io.hass.type="app" \
      io.hass.name="Yoto Smart Stream" \
      io.hass.description="Run Yoto players from Home Assistant" \
      org.opencontainers.image.title="Yoto Smart Stream" \
      org.opencontainers.image.licenses="MIT"
