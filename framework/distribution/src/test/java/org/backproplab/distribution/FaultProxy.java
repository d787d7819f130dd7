package org.backproplab.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of the real MLflow server that can break the connection the way outages do:
 * {@link Mode#STALL} holds every byte in both directions (a server that accepts but never answers),
 * {@link Mode#REFUSE} closes every connection at once (a server that is down), and {@link #dropAnswers} lets the
 * server do a request but loses its answer (so the client sends it again). It counts requests by their path.
 */
final class FaultProxy implements AutoCloseable {

    enum Mode { PASS, STALL, REFUSE }

    private final ServerSocket listener;
    private final int targetPort;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object modeChanged = new Object();
    private final AtomicInteger answersToDrop = new AtomicInteger();
    private final AtomicInteger droppedAnswers = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final StringBuffer requestLines = new StringBuffer();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    FaultProxy(String targetUri) {
        this.targetPort = URI.create(targetUri).getPort();
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uri() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    void mode(Mode newMode) {
        synchronized (modeChanged) {
            mode = newMode;
            modeChanged.notifyAll();
        }
        if (newMode == Mode.REFUSE) {
            open.forEach(FaultProxy::closeQuietly);
        }
    }

    /** Lets the next {@code count} requests reach the server, then loses their answers. */
    void dropAnswers(int count) {
        answersToDrop.set(count);
    }

    int droppedAnswers() {
        return droppedAnswers.get();
    }

    /** Connections closed at once in {@link Mode#REFUSE}. */
    int refused() {
        return refused.get();
    }

    /** How many requests so far had {@code pathFragment} in their request line, e.g. {@code /runs/log-batch}. */
    int requests(String pathFragment) {
        String lines = requestLines.toString();
        int count = 0;
        for (int at = lines.indexOf(pathFragment); at >= 0; at = lines.indexOf(pathFragment, at + 1)) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        closed = true;
        mode(Mode.REFUSE);
        closeQuietly(listener);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.REFUSE) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    awaitNotStalled();
                    if (mode == Mode.REFUSE) {
                        break;
                    }
                    String start = new String(buffer, 0, Math.min(read, 200), StandardCharsets.ISO_8859_1);
                    if (request && (start.startsWith("POST ") || start.startsWith("GET ") || start.startsWith("PUT "))) {
                        requestLines.append(start, 0, Math.max(0, start.indexOf('\r'))).append('\n');
                    }
                    if (!request && start.startsWith("HTTP/") && answersToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        droppedAnswers.incrementAndGet();
                        break; // the server did the request; its answer is lost
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close the other below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitNotStalled() {
        synchronized (modeChanged) {
            while (mode == Mode.STALL) {
                try {
                    modeChanged.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
