/**
 * The web front door's HTTP side: security headers on every response, the origin policy for
 * WebSocket upgrades, the static web client served at {@code /}, and attachment links. The
 * IRC-over-WebSocket bridge itself is {@code dev.protokit.chat.server.WebListener}, which runs
 * the same IRC session code as the TCP listeners.
 */
package dev.protokit.chat.web;
