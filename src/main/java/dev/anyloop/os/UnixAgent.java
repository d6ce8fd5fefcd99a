package dev.anyloop.os;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The user's ssh-agent ({@code SSH_AUTH_SOCK}) as MINA SSHD's {@link SshAgent}: the agent protocol
 * (draft-miller-ssh-agent) is MINA's ({@link AbstractAgentProxy}); only the transport is here, a Unix socket
 * through Java's own {@link UnixDomainSocketAddress} (MINA's Unix agent client needs Tomcat's native APR).
 * Each message is a 4-byte length and the payload, one request and one answer at a time.
 */
final class UnixAgent extends AbstractAgentProxy {
    /** Agent answers are a few KiB; a length past this is a broken socket, not an answer. */
    private static final int MAX_ANSWER = 256 * 1024;
    private final SocketChannel channel;

    private UnixAgent(Path socket) throws IOException {
        super(null);
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to the ssh-agent at " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        channel.write(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(len);
        int n = len.flip().getInt();
        if (n < 1 || n > MAX_ANSWER) throw new IOException("the ssh-agent answered a message of " + n + " bytes");
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) throw new IOException("the ssh-agent closed the connection");
        }
    }

    @Override
    public boolean isOpen() { return channel.isOpen(); }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Connects to the agent at {@code socket} for every session that authenticates. */
    static SshAgentFactory factory(Path socket) {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) { return List.of(); }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) throws IOException { return new UnixAgent(socket); }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("anyloop does not forward the agent");
            }
        };
    }
}
