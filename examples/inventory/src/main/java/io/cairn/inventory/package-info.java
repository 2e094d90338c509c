/**
 * The inventory reference domain: products by SKU, their stock on hand, and the orders' reservations on it
 * (register, receive, reserve, release, ship). Written against Cairn's public API only and shipped as a plugin
 * jar; {@link io.cairn.inventory.InventoryDomain} registers it.
 */
package io.cairn.inventory;
