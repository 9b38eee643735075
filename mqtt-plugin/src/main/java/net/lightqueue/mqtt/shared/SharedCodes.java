package net.lightqueue.mqtt.shared;

/**
 * The request codes by which members on one broker group take part in the shared subscription
 * groups of the others, inside the range the peer network reserves for the plugin. Every body
 * is a {@link ShareMessages} encoding.
 */
final class SharedCodes {

    /** A session here joins the group at the peer, through a proxy member there, with its window. */
    static final int JOIN = 42_030;
    /** Settles what the member completed and takes up to a count of the messages assigned to its proxy. */
    static final int TAKE = 42_031;
    /** The member leaves: what it did not complete is assigned again at the peer. */
    static final int LEAVE = 42_032;
    /** One-way: the receiver's proxies at the sender have messages assigned (coalesced per send). */
    static final int READY = 42_033;
    /** Keeps the caller's proxies alive; says which are unknown and which have messages assigned. */
    static final int ALIVE = 42_034;
    /** Whether the peer holds members of a share: its group subscription is removed only when no group does. */
    static final int MEMBERS = 42_035;

    private SharedCodes() {
    }
}
