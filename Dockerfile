# Draft image for the Home Assistant add-on. The build and run steps are proven outside Docker by
# the packaging work; until then treat this file as the intended shape, not a tested build.
FROM ghcr.io/home-assistant/base:3.24 AS build
RUN apk add --no-cache nodejs npm make g++ python3
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=optional
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --omit=optional

FROM ghcr.io/home-assistant/base:3.24
RUN apk add --no-cache nodejs ffmpeg
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json config.yaml ./
COPY bin ./bin
COPY rules ./rules
COPY translations ./translations
CMD ["node", "/app/dist/cli.js", "start"]
