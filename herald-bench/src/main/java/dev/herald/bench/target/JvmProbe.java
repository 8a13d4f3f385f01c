package dev.herald.bench.target;

import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.util.List;
import java.util.Optional;

/**
 * Reads Herald's JVM through its platform MXBeans instead of its {@code /metrics} page: rendering that page
 * allocates megabytes inside Herald, which, scraped twice a second for the peak heap, was 13–16 % of what a slow
 * run charged to Herald's deliveries. Here each reading is a handful of JMX attribute reads (a few KiB in Herald
 * through the local management agent the bench attaches, nothing for an embedded Herald).
 *
 * <p>Allocation is the JVM's own count of bytes its threads allocated ({@code ThreadMXBean
 * .getTotalThreadAllocatedBytes}, terminated threads included), exact at the moment of reading, where the collector's
 * count ({@code jvm_gc_memory_allocated_bytes_total}) only moves at a collection, up to a young generation's size
 * at a time, which in a quick run is a large share of the whole.
 */
final class JvmProbe implements AutoCloseable {
    private final Optional<JMXConnector> connector;
    private final ThreadMXBean threads;
    private final MemoryMXBean memory;
    private final List<MemoryPoolMXBean> oldPools;
    private final CompilationMXBean compilation;

    private JvmProbe(Optional<JMXConnector> connector, MBeanServerConnection server) throws IOException {
        this.connector = connector;
        this.threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME,
                ThreadMXBean.class);
        this.memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        this.oldPools = ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class).stream()
                .filter(pool -> pool.getName().contains("Old Gen")).toList();
        this.compilation = ManagementFactory.newPlatformMXBeanProxy(server,
                ManagementFactory.COMPILATION_MXBEAN_NAME, CompilationMXBean.class);
    }

    /** This JVM (an embedded Herald). */
    static JvmProbe local() {
        try {
            return new JvmProbe(Optional.empty(), ManagementFactory.getPlatformMBeanServer());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this JVM's MXBeans", e);
        }
    }

    /**
     * The JVM of process {@code pid} (same user), through the local management agent the attach API starts in it;
     * empty if it cannot be attached (the caller falls back to {@code /metrics}).
     */
    static Optional<JvmProbe> attach(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            return Optional.of(new JvmProbe(Optional.of(connector), connector.getMBeanServerConnection()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Bytes the JVM's threads allocated so far; -1 if it does not count them. */
    long allocatedBytes() {
        try {
            return threads.getTotalThreadAllocatedBytes();
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    HeraldTarget.HeapReading heap() {
        long live = 0;
        for (MemoryPoolMXBean pool : oldPools) {
            var usage = pool.getCollectionUsage();
            live += usage == null ? 0 : usage.getUsed();
        }
        return new HeraldTarget.HeapReading(memory.getHeapMemoryUsage().getUsed(), live);
    }

    long compilationMillis() {
        return compilation.getTotalCompilationTime();
    }

    @Override
    public void close() {
        connector.ifPresent(c -> {
            try {
                c.close();
            } catch (IOException e) {
                // the child is going away anyway
            }
        });
    }
}
