/** The CA's event feed: what changed, announced on a ZeroMQ PUB socket (hints; consumers verify the CRL). */
package io.upki.ca.events;
