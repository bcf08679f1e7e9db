/**
 * A TLS terminator in Java (JSSE, the TLS of Quarkus itself) that asks every client for a certificate
 * signed by the trusted CAs and passes the connection on in plain HTTP. Apicurio's image fixes
 * `quarkus.http.ssl.client-auth` at build time (NONE), so the registry cannot ask for client
 * certificates on its own; this runs beside it in the same container, started by `java Terminator.java`
 * (a single-file program needs no build, and it reads PEM itself, so the image needs no openssl or
 * keytool). Arguments: certificate chain, PKCS#8 key, trusted CAs (PEM files), the port to listen on,
 * the port to forward to on localhost.
 */
export const TLS_TERMINATOR_JAVA = `
import java.io.*;
import java.net.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.stream.Collectors;
import javax.net.ssl.*;

public class Terminator {
  public static void main(String[] args) throws Exception {
    char[] password = "changeit".toCharArray();
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    java.security.cert.Certificate[] chain = certificates(x509, args[0]);
    String pem = Files.readString(Path.of(args[1])).lines().filter(line -> !line.startsWith("-----")).collect(Collectors.joining());
    PrivateKey key = KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("server", key, password, chain);
    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    java.security.cert.Certificate[] cas = certificates(x509, args[2]);
    for (int i = 0; i < cas.length; i++) trustStore.setCertificateEntry("ca" + i, cas[i]);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(Integer.parseInt(args[3]));
    server.setNeedClientAuth(true);
    int target = Integer.parseInt(args[4]);
    System.out.println("tls terminator listening on " + args[3]);
    while (true) {
      Socket client = server.accept();
      new Thread(() -> serve(client, target)).start();
    }
  }

  static java.security.cert.Certificate[] certificates(CertificateFactory x509, String file) throws Exception {
    try (InputStream in = new FileInputStream(file)) {
      return x509.generateCertificates(in).toArray(new java.security.cert.Certificate[0]);
    }
  }

  static void serve(Socket client, int target) {
    try (client; Socket upstream = new Socket("127.0.0.1", target)) {
      Thread back = new Thread(() -> pump(upstream, client));
      back.start();
      pump(client, upstream);
      back.join();
    } catch (Exception e) {
      // A refused handshake ends here; the client has had its alert.
    }
  }

  static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // The other side closed.
    } finally {
      try { to.close(); } catch (IOException e) { }
      try { from.close(); } catch (IOException e) { }
    }
  }
}
`;
