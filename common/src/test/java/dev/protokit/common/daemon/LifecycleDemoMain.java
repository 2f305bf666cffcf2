package dev.protokit.common.daemon;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** A daemon for {@link LifecycleTest}, run in its own JVM: "hang" makes its shutdown never end. */
final class LifecycleDemoMain {
    private LifecycleDemoMain() {
    }

    public static void main(String[] args) throws java.io.IOException {
        boolean hang = args.length > 0 && args[0].equals("hang");
        var config = new TcpServer.Config("demo", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new ConnectionLimits(4, 4), Duration.ZERO, Duration.ZERO);
        Lifecycle.serve(() -> TcpServer.start(config, session -> session.in().read()), (server, grace) -> {
            server.shutdown(grace);
            if (hang) {
                try {
                    Thread.sleep(Duration.ofHours(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Duration.ofMillis(500));
        System.exit(DaemonLauncher.OK);
    }
}
