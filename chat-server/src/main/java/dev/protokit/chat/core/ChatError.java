package dev.protokit.chat.core;

/**
 * Why the core refused a request. Each listener maps these to its own wire codes (IRC numerics,
 * native error codes); the core never speaks a protocol itself.
 */
public enum ChatError {
    /** No client holds that nick and no account has that name (IRC 401). */
    NO_SUCH_NICK,
    /** No such room (IRC 403). */
    NO_SUCH_ROOM,
    /** A room or nick name that fails validation (IRC 432 for nicks, 403/479 for rooms). */
    BAD_NAME,
    /** The nick is held by another client (IRC 433). */
    NICK_IN_USE,
    /** The nick is a registered account's and the client is not logged in as it (IRC 433). */
    NICK_REGISTERED,
    /** The sender may not speak in the room: +n from outside, +m without voice, banned (IRC 404). */
    CANNOT_SEND,
    /** The client is not in that room (IRC 442). */
    NOT_IN_ROOM,
    /** The target client is not in that room (IRC 441). */
    TARGET_NOT_IN_ROOM,
    /** Already in the room, for invites (IRC 443). */
    ALREADY_IN_ROOM,
    /** The room is at its member limit, +l (IRC 471). */
    ROOM_FULL,
    /** The room is invite-only, +i (IRC 473). */
    INVITE_ONLY,
    /** The client is banned from the room, +b (IRC 474). */
    BANNED,
    /** Wrong or missing room key, +k (IRC 475). */
    BAD_KEY,
    /** The client needs room operator status (IRC 482). */
    NOT_ROOM_OPERATOR,
    /** The client needs to be a server operator (IRC 481). */
    NOT_SERVER_OPERATOR,
    /** Only server operators may create rooms (IRC 403 with a reason). */
    ROOM_CREATION_RESTRICTED,
    /** The client joined too many rooms (IRC 405). */
    TOO_MANY_ROOMS,
    /** The request needs a logged-in account (guests get this for DM history, say). */
    ACCOUNT_REQUIRED,
    /** Guests are refused by configuration. */
    GUESTS_REFUSED,
    /** A malformed or out-of-range request (a bad mode argument, an empty message). */
    INVALID_REQUEST,
    /** The store failed; the request was not carried out. */
    STORE_FAILURE
}
