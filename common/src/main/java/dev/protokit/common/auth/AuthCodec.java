package dev.protokit.common.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.protokit.common.frame.FrameCodec;
import dev.protokit.common.frame.FrameException;
import dev.protokit.common.frame.FrameLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Pure JSON codec for handshake message bodies (the part after the u32 length of a frame).
 *
 * <pre>
 *  client-hello      {"type":"client-hello","protocol":"protokit-auth/1","key_id":"k1","nonce":B64}
 *  server-challenge  {"type":"server-challenge","nonce":B64}
 *  client-proof      {"type":"client-proof","mac":B64}
 *  server-proof      {"type":"server-proof","mac":B64}
 *  failure           {"type":"failure","error":"authentication failed"}
 *
 *  B64 = standard base64 with padding (RFC 4648 section 4) of exactly 32 bytes
 * </pre>
 *
 * <p>Each body travels as the header of one project frame ({@link FrameCodec}) with no body:
 * {@code u32 big-endian length | JSON}; a {@code bodyLength} field, if a writer adds one, must
 * be 0. Decoding is strict: one JSON object in strict UTF-8, no duplicate or unknown fields,
 * every field a string. MACs cover the exact bytes received, so the encoder's field order is a
 * convention, not a rule.
 */
public final class AuthCodec {
    /** Handshake frames: small headers, never a body. */
    public static final FrameLimits LIMITS = new FrameLimits(Protocol.MAX_FRAME_BYTES, 0);

    private static final JsonFactory FACTORY = new JsonFactory();

    private AuthCodec() {
    }

    /** The UTF-8 JSON body of {@code message}. */
    public static byte[] encode(AuthMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", message.type().wire());
            switch (message) {
                case AuthMessage.ClientHello hello -> {
                    json.writeStringField("protocol", hello.protocol());
                    json.writeStringField("key_id", hello.keyId().value());
                    json.writeStringField("nonce", hello.nonce().base64());
                }
                case AuthMessage.ServerChallenge challenge -> json.writeStringField("nonce", challenge.nonce().base64());
                case AuthMessage.ClientProof proof -> json.writeStringField("mac", proof.mac().base64());
                case AuthMessage.ServerProof proof -> json.writeStringField("mac", proof.mac().base64());
                case AuthMessage.Failure failure -> json.writeStringField("error", failure.error());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    /** Parses one message body; throws {@link AuthException} ({@link AuthError#MALFORMED}) on any deviation. */
    public static AuthMessage decode(byte[] body) {
        ObjectNode root;
        try {
            // The frame layer's hardened parser: strict UTF-8, one object, no duplicate keys,
            // capped lengths, and bodyLength absent or 0 (handshake frames carry no body).
            root = FrameCodec.decodeHeader(body, LIMITS).json();
        } catch (FrameException e) {
            throw new AuthException(AuthError.MALFORMED, "bad handshake frame: " + e.getMessage(), e);
        }
        String typeName = text(root, "type");
        MessageType type = MessageType.fromWire(typeName).orElseThrow(
                () -> new AuthException(AuthError.MALFORMED, "unknown type \"" + printable(typeName) + '"'));
        return switch (type) {
            case CLIENT_HELLO -> {
                onlyFields(root, type, "protocol", "key_id", "nonce");
                String keyId = text(root, "key_id");
                if (!KeyId.isValid(keyId)) {
                    throw new AuthException(AuthError.MALFORMED, "client-hello key_id is not a valid key id");
                }
                yield new AuthMessage.ClientHello(text(root, "protocol"), new KeyId(keyId), bytes32(root, "nonce"));
            }
            case SERVER_CHALLENGE -> {
                onlyFields(root, type, "nonce");
                yield new AuthMessage.ServerChallenge(bytes32(root, "nonce"));
            }
            case CLIENT_PROOF -> {
                onlyFields(root, type, "mac");
                yield new AuthMessage.ClientProof(bytes32(root, "mac"));
            }
            case SERVER_PROOF -> {
                onlyFields(root, type, "mac");
                yield new AuthMessage.ServerProof(bytes32(root, "mac"));
            }
            case FAILURE -> {
                onlyFields(root, type, "error");
                yield new AuthMessage.Failure(text(root, "error"));
            }
        };
    }

    private static void onlyFields(JsonNode root, MessageType type, String... fields) {
        Set<String> allowed = new HashSet<>(List.of(fields));
        allowed.add("type");
        allowed.add(FrameCodec.BODY_LENGTH);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(printable(name));
            }
        }
        if (!unknown.isEmpty()) {
            throw new AuthException(AuthError.MALFORMED, type.wire() + " has unknown fields " + unknown);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new AuthException(AuthError.MALFORMED, "field \"" + field + "\" missing or not a string");
        }
        return node.textValue();
    }

    private static Bytes32 bytes32(JsonNode root, String field) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text(root, field));
        } catch (IllegalArgumentException e) {
            throw new AuthException(AuthError.MALFORMED, "field \"" + field + "\" is not base64", e);
        }
        if (decoded.length != Bytes32.LENGTH) {
            throw new AuthException(AuthError.MALFORMED,
                    "field \"" + field + "\" holds " + decoded.length + " bytes, expected " + Bytes32.LENGTH);
        }
        return new Bytes32(decoded);
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
