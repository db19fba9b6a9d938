# Multi-stage build: compile TypeScript, then ship only production dependencies, as a non-root user.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY agent ./agent
COPY processors ./processors
RUN npm run build

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /opt/smf-agent
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY config ./config
COPY mappings ./mappings
RUN mkdir -p /var/lib/smf-agent && chown node:node /var/lib/smf-agent
USER node
VOLUME ["/var/lib/smf-agent"]
ENTRYPOINT ["node", "bin/smf-agent.js"]
CMD ["run", "--config", "/etc/smf-agent/agent.yaml"]
