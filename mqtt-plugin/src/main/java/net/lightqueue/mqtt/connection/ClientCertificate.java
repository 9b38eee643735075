package net.lightqueue.mqtt.connection;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/** The certificate a client presented in its connection's TLS handshake, which verified it. */
public final class ClientCertificate {

    private ClientCertificate() {
    }

    /** Whether the connection came through a TLS listener (tls or wss). */
    public static boolean isTls(Channel channel) {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    /**
     * The subject CN of the client's certificate, or null when the connection is not TLS, the
     * client presented no certificate (mqttTlsClientAuth=optional) or its subject has no CN.
     */
    public static String commonName(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                ? commonName(leaf.getSubjectX500Principal()) : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }

    /** The most specific CN of the subject (the leftmost in RFC 2253 order), or null. */
    static String commonName(X500Principal subject) {
        try {
            List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
            // LdapName lists the RDNs from the most significant (rightmost) on.
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn && !cn.isEmpty()) {
                    return cn;
                }
            }
            return null;
        } catch (InvalidNameException unreadable) {
            return null;
        }
    }
}
