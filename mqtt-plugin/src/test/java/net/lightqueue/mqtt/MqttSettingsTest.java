package net.lightqueue.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import net.lightqueue.host.config.InvalidSettingException;
import net.lightqueue.host.config.SettingsBinder;
import net.lightqueue.mqtt.listener.ClientAuthMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** broker.conf mistakes in the listener keys stop the start with one line that names the key. */
class MqttSettingsTest {

    @TempDir
    Path dir;

    @Test
    void tlsPortWithoutCertificateFileIsRejected() {
        InvalidSettingException error = assertThrows(InvalidSettingException.class, () -> bind("mqttTlsPort=8883"));
        assertEquals("mqttTlsCertFile= is invalid: mqttTlsPort or mqttWssPort is set, so a PEM file is needed",
            error.getMessage());
    }

    @Test
    void unreadableKeyFileIsRejected() throws Exception {
        Path cert = Files.writeString(dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----");
        Path missing = dir.resolve("missing.key");
        InvalidSettingException error = assertThrows(InvalidSettingException.class,
            () -> bind("mqttWssPort=8084", "mqttTlsCertFile=" + cert, "mqttTlsKeyFile=" + missing));
        assertEquals("mqttTlsKeyFile=" + missing + " is invalid: expected a readable PEM file", error.getMessage());
    }

    @Test
    void clientAuthIsReadAsWrittenInBrokerConf() {
        assertEquals(ClientAuthMode.REQUIRE, bind("mqttTlsClientAuth=require").tlsClientAuth());
        assertThrows(InvalidSettingException.class, () -> bind("mqttTlsClientAuth=sometimes"));
    }

    @Test
    void certificateAsUserNameWithoutClientCertificatesIsRejected() {
        InvalidSettingException error = assertThrows(InvalidSettingException.class,
            () -> bind("mqttTlsCertAsUsername=true"));
        assertEquals("mqttTlsCertAsUsername=true is invalid: needs mqttTlsClientAuth=optional or require: "
            + "with none no client presents a certificate", error.getMessage());
        assertTrue(bind("mqttTlsCertAsUsername=true", "mqttTlsClientAuth=optional").tlsCertAsUsername());
    }

    @Test
    void webSocketPathMustBeAPath() {
        assertThrows(InvalidSettingException.class, () -> bind("mqttWsPort=8083", "mqttWsPath=mqtt"));
    }

    private static MqttSettings bind(String... settings) {
        Properties properties = new Properties();
        for (String setting : settings) {
            String[] keyValue = setting.split("=", 2);
            properties.setProperty(keyValue[0], keyValue[1]);
        }
        return SettingsBinder.bind(MqttSettings.class, properties);
    }
}
