package dev.wasmbridge.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 on a socket, for what the JDK's HttpClient cannot do: send request trailers, show response
 * trailers, send header bytes above 0x7f, read a response while the request body is still going out,
 * and show the response's framing as it is.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** A response as it came: fields as sent, the body de-chunked, the trailers of a chunked body. */
    record Response(int status, List<String[]> headers, byte[] body, List<String[]> trailers, boolean chunked) {
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends {@code request} (ISO-8859-1 text, one char per byte) to port on loopback and reads the response. */
    static Response exchange(int port, String request) throws IOException {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            Head head = head(in);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            InputStream b = head.body(in);
            b.transferTo(body);
            return new Response(head.status, head.fields, body.toByteArray(),
                    b instanceof Chunked c ? c.trailers : List.of(), b instanceof Chunked);
        }
    }

    /**
     * Sends a request with a chunked body while it reads the response (HttpClient sends the whole request
     * body before it reads a byte of the response, so a long echo fills the socket buffers both ways and
     * stops): {@code head} is the request head without its blank line, {@code body} goes out in chunks on a
     * thread of its own, and {@code response} reads the response body as it comes.
     */
    static <T> T duplex(int port, String head, InputStream body, ResponseReader<T> response) throws Exception {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (body) {
                    out.write((head + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = body.read(buffer)) >= 0;) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(buffer, 0, n);
                        out.write(CRLF);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            InputStream in = socket.getInputStream();
            Head h = head(in);
            T result = response.read(h.status, h.body(in));
            sent.get();
            return result;
        }
    }

    /** Reads a response's body. */
    interface ResponseReader<T> {
        T read(int status, InputStream body) throws IOException;
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** The status line and fields of a response. */
    private record Head(int status, List<String[]> fields) {
        /** The body that follows, by the head's framing (chunked, content-length, or to the end). */
        InputStream body(InputStream in) {
            boolean chunked = fields.stream().anyMatch(h -> h[0].equalsIgnoreCase("transfer-encoding")
                    && h[1].toLowerCase(Locale.ROOT).contains("chunked"));
            if (chunked) {
                return new Chunked(in);
            }
            Optional<String> length = fields.stream().filter(h -> h[0].equalsIgnoreCase("content-length"))
                    .map(h -> h[1]).findFirst();
            return length.isPresent() ? new Exactly(in, Long.parseLong(length.get().trim())) : in;
        }
    }

    private static Head head(InputStream in) throws IOException {
        String statusLine = line(in);
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), fields(in));
    }

    /** A chunked body, de-chunked; an early end of the connection is an {@link IOException}. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;
        List<String[]> trailers = List.of();

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (left == 0) {
                    trailers = fields(in);
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection ended inside a chunk");
            }
            left -= n;
            if (left == 0 && !line(in).isEmpty()) {
                throw new IOException("no CRLF after a chunk");
            }
            return n;
        }
    }

    /** A body of known length; an early end of the connection is an {@link IOException}. */
    private static final class Exactly extends InputStream {
        private final InputStream in;
        private final long length;
        private long left;

        Exactly(InputStream in, long length) {
            this.in = in;
            this.length = length;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the body ended after " + (length - left) + " of " + length + " bytes");
            }
            left -= n;
            return n;
        }
    }

    private static List<String[]> fields(InputStream in) throws IOException {
        List<String[]> fields = new ArrayList<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            fields.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
        }
        return fields;
    }

    /** One line without its CRLF, ISO-8859-1. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection ended inside a line: '" + s + "'");
            }
            if (c == '\n') {
                int end = s.length() > 0 && s.charAt(s.length() - 1) == '\r' ? s.length() - 1 : s.length();
                return s.substring(0, end);
            }
            s.append((char) c);
        }
    }
}
