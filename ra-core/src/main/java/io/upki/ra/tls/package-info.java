/** Direct mode's HTTPS listener: the RA's own certificate, client certificates requested, trust decided by the app. */
package io.upki.ra.tls;
