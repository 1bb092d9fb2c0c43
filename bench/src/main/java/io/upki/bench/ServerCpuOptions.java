package io.upki.bench;

import picocli.CommandLine.Option;

/** The options of a load driver that also reports the CPU the measured server used: its PID and the kernel's tick rate. */
final class ServerCpuOptions {
    @Option(names = "--server-pid", defaultValue = "0",
            description = "PID of the measured server, to report the cores it used while measured (Linux /proc).")
    long serverPid;

    @Option(names = "--clk-tck", defaultValue = "100", description = "getconf CLK_TCK, to read /proc/PID/stat.")
    int clockTicks;

    /** The CPU reader for that server (server figures absent when no PID was given). */
    ProcessCpu cpu() {
        return new ProcessCpu(serverPid, clockTicks);
    }
}
