/** The published CRL: verified before it replaces the last one, written atomically to the output folder. */
package io.upki.publisher.publish;
