/**
 * Checks of the deployment files (docker-compose.yml, deploy/traefik, the Dockerfiles, the Kubernetes
 * manifests of deploy/kubernetes) against their published schemas, docker-compose, kubectl kustomize,
 * the Kubernetes API model and each other; and, where a Docker engine runs, the Compose stack itself.
 */
package io.upki.deploy;
