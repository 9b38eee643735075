package net.lightqueue.mqtt.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** Which part of a certificate subject becomes the user name with mqttTlsCertAsUsername. */
class ClientCertificateTest {

    @Test
    void commonNameIsTakenFromAFullSubject() {
        assertEquals("device-7", ClientCertificate.commonName(new X500Principal("CN=device-7, OU=fleet, O=Acme, C=DE")));
    }

    @Test
    void theMostSpecificCommonNameWinsWhenThereAreSeveral() {
        assertEquals("device-7", ClientCertificate.commonName(new X500Principal("CN=device-7, CN=devices, O=Acme")));
    }

    @Test
    void escapedCharactersAreReadAsTheyAre() {
        assertEquals("line 4, press 2", ClientCertificate.commonName(new X500Principal("CN=line 4\\, press 2, O=Acme")));
    }

    @Test
    void subjectWithoutCommonNameHasNone() {
        assertNull(ClientCertificate.commonName(new X500Principal("OU=fleet, O=Acme")));
    }
}
