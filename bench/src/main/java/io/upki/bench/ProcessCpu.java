package io.upki.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed so far by the CA process (Linux {@code /proc/PID/stat}), by this JVM, and by the
 * whole machine ({@code /proc/stat}), so that a report shows how much other processes interfered.
 */
final class ProcessCpu {
    private final long serverPid;
    private final int clockTicks;

    /** @param serverPid the CA's PID, or 0 when unknown (server figures are then absent) */
    ProcessCpu(long serverPid, int clockTicks) {
        this.serverPid = serverPid;
        this.clockTicks = clockTicks <= 0 ? 100 : clockTicks;
    }

    /** One reading of both processes' CPU seconds; a negative server value means unavailable. */
    record Sample(long nanos, double serverSeconds, double clientSeconds, double machineSeconds) {
        /** Cores used on average between {@code earlier} and this sample: CPU seconds over wall seconds. */
        double serverCoresSince(Sample earlier) {
            if (serverSeconds < 0 || earlier.serverSeconds < 0) {
                return Double.NaN;
            }
            return (serverSeconds - earlier.serverSeconds) / ((nanos - earlier.nanos) / 1e9);
        }

        /** Cores used by everything else on the machine (other processes, the kernel's own work). */
        double otherCoresSince(Sample earlier) {
            if (machineSeconds < 0 || earlier.machineSeconds < 0) {
                return Double.NaN;
            }
            double machine = (machineSeconds - earlier.machineSeconds) / ((nanos - earlier.nanos) / 1e9);
            double server = serverCoresSince(earlier);
            double client = clientCoresSince(earlier);
            return Math.max(0, machine - (Double.isNaN(server) ? 0 : server) - (Double.isNaN(client) ? 0 : client));
        }

        double clientCoresSince(Sample earlier) {
            if (clientSeconds < 0 || earlier.clientSeconds < 0) {
                return Double.NaN;
            }
            return (clientSeconds - earlier.clientSeconds) / ((nanos - earlier.nanos) / 1e9);
        }
    }

    Sample sample() {
        return new Sample(System.nanoTime(), serverSeconds(), clientSeconds(), machineSeconds());
    }

    private double serverSeconds() {
        if (serverPid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(serverPid), "stat"));
            // Fields after the parenthesised command name (which may contain spaces): utime is the
            // 14th field and stime the 15th of the whole line, see proc(5).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) clockTicks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy CPU seconds of all cores: every field of the "cpu" line of /proc/stat but idle and iowait. */
    private double machineSeconds() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse(null);
            if (cpu == null) {
                return -1;
            }
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / (double) clockTicks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double clientSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long nanos = sun.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1e9;
        }
        return -1;
    }
}
