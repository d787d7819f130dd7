package org.backproplab.core.plugin.testplugin.dependency;

/** A "third-party library" of the test plugin, packed into a jar of its own. */
public final class Greeting {

    private Greeting() {}

    /** Names the class loader it came from, so tests can see who loaded it. */
    public static String text() {
        return "Hello from " + Greeting.class.getClassLoader().getName() + ".";
    }
}
