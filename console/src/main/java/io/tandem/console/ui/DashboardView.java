package io.tandem.console.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import jakarta.annotation.security.PermitAll;

/** Landing page after sign-in. */
@Route("")
@PageTitle("Dashboard · Tandem")
@PermitAll
public class DashboardView extends VerticalLayout {

    public DashboardView() {
        add(new H2("Dashboard"), new Paragraph("Tandem node is running."));
    }
}
