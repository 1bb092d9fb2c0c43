# One image recipe for the four upki processes; MODULE chooses which (ca-server, crl-publisher,
# auth-sidecar, ra-core). Build from the repository root:
#   docker build --build-arg MODULE=ca-server -t upki/ca-server:0.1.0 .
# docker-compose.yml builds each image this way. Plain Dockerfile syntax (no BuildKit-only features),
# so Compose v2, docker-compose 1.29 and the classic builder all build it.
ARG MODULE=ca-server

# --- build: the reactor builds MODULE and the modules it depends on (-am), nothing else.
FROM maven:3-eclipse-temurin-17 AS build
ARG MODULE
WORKDIR /src
COPY . .
# Tests run in CI, not in image builds. -DskipTests (not -Dmaven.test.skip) still compiles them:
# ca-server's test-jar is a test dependency of the other modules and must exist in the reactor.
RUN mvn -B -ntp -q -pl ${MODULE} -am -DskipTests package

# --- runtime: a JRE, the jar and its runtime libraries (the jar's manifest class path is lib/).
FROM eclipse-temurin:17-jre
ARG MODULE
# The port the process serves (ca-server 5000, crl-publisher 8081, auth-sidecar 8080, ra-core 8000).
ARG PORT=5000
ENV UPKI_MODULE=${MODULE} UPKI_HEALTH_PORT=${PORT}
# One fixed UID in every upki image: the named volumes they share (the CA certificate in /etc/upki)
# take the owner of the first image that mounts them and must stay readable by all. Every directory
# a volume is mounted on exists here, owned by upki: a mount point Docker has to create is root's.
RUN groupadd --system --gid 10001 upki \
    && useradd --system --uid 10001 --gid upki --no-create-home --home-dir /var/lib/upki --shell /usr/sbin/nologin upki \
    && mkdir -p /var/lib/upki/ca /var/lib/upki/crl /var/lib/upki/sidecar /var/lib/upki/ra /var/lib/upki/publisher \
       /var/lib/upki/traefik-tls /var/lib/upki/sidecar-tls /etc/upki/sidecar-tls \
    && chown -R upki:upki /var/lib/upki /etc/upki
COPY --from=build /src/${MODULE}/target/${MODULE}.jar /app/upki.jar
COPY --from=build /src/${MODULE}/target/lib/ /app/lib/
USER upki:upki
WORKDIR /var/lib/upki
EXPOSE ${PORT}
# Liveness: the process's port accepts connections. docker-compose.yml and the Kubernetes manifests
# replace it with readiness checks of their own.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${UPKI_HEALTH_PORT}"]
# Compile thresholds at a tenth: request paths would otherwise run profiled C1 code for their first
# few thousand requests (see bin/lib.sh).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:CompileThresholdScaling=0.1", "-jar", "/app/upki.jar"]
