package dev.protokit.ftp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Objects;

/**
 * A connected data socket that reports the control connection's port as its peer port, and
 * otherwise passes everything to the real socket. JSSE looks up a session to resume by the peer
 * host and the underlying socket's port; layering TLS over this one makes it offer the control
 * connection's session on a data connection (see {@link ResumingFtpsClient}).
 */
final class ControlPortSocket extends Socket {
    private final Socket data;
    private final int controlPort;

    ControlPortSocket(Socket data, int controlPort) {
        this.data = Objects.requireNonNull(data, "data");
        this.controlPort = controlPort;
    }

    @Override
    public int getPort() {
        return controlPort;
    }

    @Override
    public InetAddress getInetAddress() {
        return data.getInetAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return data.getRemoteSocketAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return data.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return data.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return data.getLocalSocketAddress();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return data.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return data.getOutputStream();
    }

    @Override
    public boolean isConnected() {
        return data.isConnected();
    }

    @Override
    public boolean isBound() {
        return data.isBound();
    }

    @Override
    public boolean isClosed() {
        return data.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return data.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return data.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        data.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        data.shutdownOutput();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        data.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return data.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        data.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return data.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        data.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return data.getSoLinger();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        data.setReceiveBufferSize(size);
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        data.setSendBufferSize(size);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        data.setKeepAlive(on);
    }

    @Override
    public void close() throws IOException {
        data.close();
    }

    @Override
    public String toString() {
        return "ControlPortSocket[" + data + ", reported port " + controlPort + "]";
    }
}
