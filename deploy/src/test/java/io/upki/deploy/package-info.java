/**
 * Checks of the deployment files (docker-compose.yml, deploy/traefik, the Dockerfiles) against their
 * published schemas, docker-compose, and each other; and, where a Docker engine runs, the stack itself.
 */
package io.upki.deploy;
