/** Test support for the processes' operations endpoints: promtool-checked scrapes and the metric catalogue. */
package io.upki.testkit.ops;
