package net.lightqueue.bench;

/** What carries the MQTT packets: TCP, TLS, WebSocket or WebSocket over TLS. */
enum Transport {
    TCP("tcp", false, false),
    TLS("tls", true, false),
    WS("ws", false, true),
    WSS("wss", true, true);

    private final String label;
    private final boolean secure;
    private final boolean webSocket;

    Transport(String label, boolean secure, boolean webSocket) {
        this.label = label;
        this.secure = secure;
        this.webSocket = webSocket;
    }

    boolean secure() {
        return secure;
    }

    boolean webSocket() {
        return webSocket;
    }

    @Override
    public String toString() {
        return label;
    }
}
