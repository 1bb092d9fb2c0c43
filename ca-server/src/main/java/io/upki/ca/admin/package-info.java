/** The administrator list ({@code list_admins}, {@code add_admin}, {@code remove_admin}). */
package io.upki.ca.admin;
