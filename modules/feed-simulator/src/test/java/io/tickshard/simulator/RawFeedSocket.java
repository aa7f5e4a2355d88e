package io.tickshard.simulator;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A WebSocket client on a bare socket that does only what a test tells it: it never answers pings
 * on its own, and it can tell a close frame from a TCP reset.
 */
final class RawFeedSocket implements AutoCloseable {
  final int status;
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Random random = new Random(7);

  record Frame(int opcode, byte[] payload) {
    int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  /** How the server ended the connection. */
  enum Ending {
    CLOSE_FRAME_THEN_EOF,
    EOF_WITHOUT_CLOSE_FRAME,
    RESET
  }

  record Transcript(List<Frame> frames, Ending ending) {
    long count(int opcode) {
      return frames.stream().filter(f -> f.opcode() == opcode).count();
    }
  }

  RawFeedSocket(URI url) throws IOException {
    socket = new Socket(url.getHost(), url.getPort());
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    String key =
        Base64.getEncoder().encodeToString("raw-feed-socket!".getBytes(StandardCharsets.US_ASCII));
    String target = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    out.write(
        ("GET "
                + target
                + " HTTP/1.1\r\nHost: "
                + url.getHost()
                + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + key
                + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead(in);
    status = Integer.parseInt(head.split(" ")[1]);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection ended inside the response head");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  void sendText(String text) throws IOException {
    sendMasked(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  void sendMasked(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Sends raw bytes, for frames a well-behaved client would never send. */
  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, payload);
  }

  /** Reads frames until the server ends the connection, and says how it ended. */
  Transcript readUntilEnd() throws IOException {
    List<Frame> frames = new ArrayList<>();
    try {
      while (true) {
        frames.add(readFrame());
      }
    } catch (EOFException e) {
      boolean sawClose = frames.stream().anyMatch(f -> f.opcode() == 0x8);
      return new Transcript(
          frames, sawClose ? Ending.CLOSE_FRAME_THEN_EOF : Ending.EOF_WITHOUT_CLOSE_FRAME);
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (SocketException e) {
      return new Transcript(frames, Ending.RESET);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
