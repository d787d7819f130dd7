package org.backproplab.core.sweep;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way back from a trial on a cluster's executor to the sweep's pruner, which lives in the sweep driver: a TCP
 * server there that answers each objective value a trial reports with the pruner's decision, in the line protocol
 * of the worker processes ({@link WorkerLaunch#pruningAnswer}). A trial connects once, when it first reports, and
 * sends {@code TOKEN TRIAL STEP VALUE} lines; the token, random per sweep, travels inside the trial's task with the
 * MLflow credentials, so that no other process on the network can drive the pruner.
 *
 * <p>A trial that cannot reach the line (a firewall between executor and driver) trains on unpruned, with a
 * warning in its executor's log: pruning saves time, and losing it must not lose the trial.
 */
public final class PruningLine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PruningLine.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The pruner answers at once; this bounds a driver that stopped answering. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final int TOKEN_BYTES = 16;

    /**
     * Where a trial reaches the line, and the sweep's token.
     *
     * @param host the driver's address as the executors reach it
     */
    public record Address(String host, int port, String token) implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return host + ":" + port; // not the token
        }
    }

    /** The pruner's side: why trial {@code index} should stop at {@code step}, or {@code null} to go on. */
    @FunctionalInterface
    interface Answerer {
        String answer(int index, long step, double value);
    }

    private final ServerSocket server;
    private final Address address;
    private final Answerer answerer;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PruningLine(ServerSocket server, String host, Answerer answerer) {
        this.server = server;
        byte[] token = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(token);
        this.address = new Address(host, server.getLocalPort(), HexFormat.of().formatHex(token));
        this.answerer = answerer;
        Thread acceptor = new Thread(this::accept, "lab-pruning-line");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Opens a line on {@code host} (the driver's address, as a cluster's executors reach it), on a free port.
     *
     * @throws IOException if no port can be opened there
     */
    static PruningLine open(String host, Answerer answerer) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new PruningLine(server, host, answerer);
    }

    Address address() {
        return address;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                if (closed) {
                    // An accept in progress while the line closed can still return a connection made after
                    // close() (the kernel's socket lives until the blocked call returns): it gets no answer.
                    // Checked after the add, so that close() or this line closes every connection.
                    socket.close();
                    return;
                }
                Thread reader = new Thread(() -> serve(socket), "lab-pruning-line-trial");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("The pruning line stopped accepting trials: {}", e.toString());
                }
                return;
            }
        }
    }

    private void serve(Socket socket) {
        byte[] token = address.token().getBytes(StandardCharsets.US_ASCII);
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.trim().split(" ");
                if (parts.length != 4 || !MessageDigest.isEqual(parts[0].getBytes(StandardCharsets.US_ASCII), token)) {
                    LOG.warn("The pruning line refused a connection from {} (not this sweep's token)",
                            socket.getRemoteSocketAddress());
                    return;
                }
                String reason;
                try {
                    reason = answerer.answer(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Double.parseDouble(parts[3]));
                } catch (NumberFormatException e) {
                    LOG.warn("The pruning line refused a report it cannot read: '{} {} {}'", parts[1], parts[2], parts[3]);
                    return;
                }
                out.write(WorkerLaunch.pruningAnswer(reason));
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("A trial's pruning connection ended: {}", e.toString());
        } finally {
            connections.remove(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /**
     * A trial's reporter to the line at {@code address}: connects at its first report, and closes when closed (when
     * the trial ends). If the line cannot be reached or stops answering, it says so once and lets the trial go on.
     */
    static Reporter reporter(Address address, int index) {
        return new Reporter(address, index);
    }

    /** The trial's end of the line. */
    static final class Reporter implements PruningCallback.Reporter, Closeable {

        private final Address address;
        private final int index;
        private Socket socket;
        private BufferedReader in;
        private Writer out;
        private boolean broken;

        private Reporter(Address address, int index) {
            this.address = address;
            this.index = index;
        }

        @Override
        public String report(long step, double value) {
            if (broken) {
                return null;
            }
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(address.host(), address.port()), (int) CONNECT_TIMEOUT.toMillis());
                    socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
                    socket.setTcpNoDelay(true);
                    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                }
                out.write(address.token() + " " + index + " " + step + " " + value + "\n");
                out.flush();
                String answer = in.readLine();
                if (answer == null) {
                    throw new SocketException("the sweep closed the line");
                }
                return WorkerLaunch.pruningReason(answer);
            } catch (IOException e) {
                broken = true;
                LOG.warn("Trial {} cannot reach the sweep's pruner at {} ({}); it trains on without pruning",
                        index, address, e.toString());
                close();
                return null;
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
