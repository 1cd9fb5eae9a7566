package nl.onderdak.core.model;

/**
 * How to reach a registrant. Personal data: stored apart from the case (see the data model).
 *
 * @param email lower-cased, or null
 * @param phone E.164 ({@code +31612345678}), or null; at least one of email and phone is given
 */
public record Contact(String name, String email, String phone) {}
