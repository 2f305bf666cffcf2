package dev.protokit.chat.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads the fields of one received message with exact errors naming the message type and the
 * field: {@code MALFORMED say: field text is NUMBER, expected STRING}. Optional fields may be
 * absent or JSON {@code null}; unknown fields are ignored, so newer peers can add some.
 * Times are RFC 3339 UTC strings with milliseconds, {@code "2026-12-01T19:31:22.123Z"}.
 */
final class JsonFields {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode json;
    private final String type;

    JsonFields(ObjectNode json, String type) {
        this.json = Objects.requireNonNull(json, "json");
        this.type = Objects.requireNonNull(type, "type");
    }

    String type() {
        return type;
    }

    String string(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    Optional<String> optionalString(String field) {
        return present(field).map(value -> {
            if (!value.isTextual()) {
                throw wrongType(field, value, "STRING");
            }
            return value.textValue();
        });
    }

    boolean flag(String field) {
        return present(field).map(value -> {
            if (!value.isBoolean()) {
                throw wrongType(field, value, "BOOLEAN");
            }
            return value.booleanValue();
        }).orElse(false);
    }

    long integer(String field) {
        OptionalLong value = optionalInteger(field);
        if (value.isEmpty()) {
            throw missing(field);
        }
        return value.getAsLong();
    }

    OptionalLong optionalInteger(String field) {
        Optional<JsonNode> value = present(field);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode node = value.get();
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(field, node, "INTEGER");
        }
        return OptionalLong.of(node.longValue());
    }

    Instant time(String field) {
        return optionalTime(field).orElseThrow(() -> missing(field));
    }

    Optional<Instant> optionalTime(String field) {
        return optionalString(field).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new ChatWireException(ErrorCode.MALFORMED, type + ": field " + field
                        + " is not an RFC 3339 UTC time", e);
            }
        });
    }

    <E> E enumValue(String field, Function<String, Optional<E>> lookup) {
        String value = string(field);
        return lookup.apply(value).orElseThrow(() -> new ChatWireException(ErrorCode.MALFORMED, type + ": field "
                + field + " has unknown value " + quote(value)));
    }

    /** The one of {@code room} and {@code with} that is present. */
    Conversation conversation() {
        Optional<String> room = optionalString("room");
        Optional<String> with = optionalString("with");
        if (room.isPresent() == with.isPresent()) {
            throw new ChatWireException(ErrorCode.MALFORMED, type + ": needs exactly one of fields room and with");
        }
        return room.<Conversation>map(Conversation.Room::new).orElseGet(() -> new Conversation.With(with.get()));
    }

    Optional<JsonFields> optionalObject(String field) {
        return present(field).map(value -> {
            if (!(value instanceof ObjectNode object)) {
                throw wrongType(field, value, "OBJECT");
            }
            return new JsonFields(object, type);
        });
    }

    List<JsonFields> objects(String field) {
        JsonNode value = present(field).orElseThrow(() -> missing(field));
        if (!value.isArray()) {
            throw wrongType(field, value, "ARRAY");
        }
        List<JsonFields> items = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!(item instanceof ObjectNode object)) {
                throw wrongType(field + "[" + items.size() + "]", item, "OBJECT");
            }
            items.add(new JsonFields(object, type));
        }
        return items;
    }

    ObjectNode json() {
        return json;
    }

    /** Writes {@code time} as the protocol does: UTC, milliseconds. */
    static String formatTime(Instant time) {
        Instant millis = time.truncatedTo(ChronoUnit.MILLIS);
        String text = millis.toString();
        // Instant.toString drops a zero fraction; the wire always has three digits.
        return millis.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }

    static String quote(String value) {
        String cut = value.length() > 32 ? value.substring(0, 32) + "..." : value;
        StringBuilder out = new StringBuilder("\"");
        cut.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.append('"').toString();
    }

    private Optional<JsonNode> present(String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private ChatWireException missing(String field) {
        return new ChatWireException(ErrorCode.MALFORMED, type + ": field " + field + " missing");
    }

    private ChatWireException wrongType(String field, JsonNode value, String expected) {
        return new ChatWireException(ErrorCode.MALFORMED, type + ": field " + field + " is "
                + value.getNodeType() + ", expected " + expected);
    }
}
