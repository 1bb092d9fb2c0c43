/** Following the published CRLs: verified on arrival from files, URLs or pushes, swapped in atomically, the last good one kept. */
package io.upki.pki.crlfeed;
