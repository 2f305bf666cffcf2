package dev.protokit.common.frame;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON header of a received frame, already checked: an object whose {@code bodyLength}
 * (absent = 0) is a non-negative integer within {@link FrameLimits#maxBodyBytes()}.
 *
 * <p>Protocols read it either as a tree ({@link #json()}, {@link #text(String)}) or bound to a
 * record of their own ({@link #bind(Class)}); unknown fields, {@code bodyLength} included, are
 * ignored by binding so that a record lists only what the protocol needs. Immutable: the tree
 * handed out is a copy.
 */
public final class FrameHeader {
    private final ObjectNode json;
    private final long bodyLength;

    FrameHeader(ObjectNode json, long bodyLength) {
        this.json = Objects.requireNonNull(json, "json");
        this.bodyLength = bodyLength;
    }

    /** The header object; a copy, so changing it changes nothing here. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The number of body bytes that follow the header, 0 when the field is absent. */
    public long bodyLength() {
        return bodyLength;
    }

    /** A copy of one top-level field, if present (a JSON {@code null} is present). */
    public Optional<JsonNode> field(String name) {
        JsonNode value = json.get(Objects.requireNonNull(name, "name"));
        return value == null ? Optional.empty() : Optional.of(value.deepCopy());
    }

    /** A top-level field's value if it is a JSON string; empty if absent or of another type. */
    public Optional<String> text(String name) {
        JsonNode value = json.get(Objects.requireNonNull(name, "name"));
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /**
     * Binds the header to {@code type} (typically a record) with the hardened frame mapper.
     *
     * @throws FrameException {@link FrameError#HEADER_MISMATCH} if a field has the wrong type or a
     *                        primitive field is JSON null
     */
    public <T> T bind(Class<T> type) {
        Objects.requireNonNull(type, "type");
        try {
            return FrameCodec.MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new FrameException(FrameError.HEADER_MISMATCH, "header does not bind to "
                    + type.getSimpleName() + ": " + reason, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FrameHeader that && bodyLength == that.bodyLength && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode() * 31 + Long.hashCode(bodyLength);
    }

    /** The header as compact JSON. */
    @Override
    public String toString() {
        return json.toString();
    }
}
